import { describe, expect, it } from 'vitest';
import { nextCrashCount, type RestartPolicy, restartDelayMs } from './restart-delay.ts';

const policy: RestartPolicy = { minMs: 250, maxMs: 10_000, stableMs: 30_000 };

describe('worker restart delay', () => {
  it('doubles from minMs with every crash in a row, up to maxMs', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 100].map((n) => restartDelayMs(n, policy))).toEqual([
      250, 500, 1000, 2000, 4000, 8000, 10_000, 10_000,
    ]);
  });

  it('starts over after a worker stayed up stableMs', () => {
    expect(nextCrashCount(5, 29_999, policy)).toBe(6);
    expect(nextCrashCount(5, 30_000, policy)).toBe(1);
    expect(restartDelayMs(nextCrashCount(5, 60_000, policy), policy)).toBe(250);
  });
});
