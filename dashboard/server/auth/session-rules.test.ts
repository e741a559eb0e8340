import { describe, expect, it } from 'vitest';
import {
  lastSeenGranularityMs,
  type OperatorStanding,
  sessionExpired,
  staleHolders,
} from './session-rules.ts';

const limits = { ttlMs: 3_600_000, idleMs: 600_000 };
const op = (
  name: string,
  role: OperatorStanding['role'],
  createdAt = 1,
  revokedAt: number | null = null,
) => ({
  name,
  role,
  createdAt,
  revokedAt,
});

describe('sessionExpired', () => {
  it('keeps a session used within the idle limit and its lifetime', () => {
    expect(sessionExpired({ createdMs: 0, lastSeenMs: 3_000_000 }, limits, 3_599_999)).toBe(false);
  });
  it('ends a session idle for the idle limit', () => {
    expect(sessionExpired({ createdMs: 0, lastSeenMs: 1000 }, limits, 601_000)).toBe(true);
  });
  it('ends a session at its absolute lifetime however recently used', () => {
    expect(sessionExpired({ createdMs: 0, lastSeenMs: 3_599_000 }, limits, 3_600_000)).toBe(true);
  });
});

describe('staleHolders', () => {
  const holders = [
    { name: 'oscar', role: 'operator', operatorSince: 1 },
    { name: 'vera', role: 'viewer', operatorSince: null },
  ] as const;

  it('keeps holders whose account is unchanged', () => {
    expect(staleHolders(holders, [op('oscar', 'operator'), op('vera', 'viewer', 7)])).toEqual([]);
  });
  it('ends holders whose account is revoked or gone', () => {
    expect(staleHolders(holders, [op('oscar', 'operator', 1, 50)])).toEqual([...holders]);
  });
  it('ends holders whose role changed', () => {
    expect(staleHolders(holders, [op('oscar', 'admin'), op('vera', 'viewer')])).toEqual([holders[0]]);
  });
  it('ends holders of an account made anew under the same name', () => {
    expect(staleHolders(holders, [op('oscar', 'operator', 2), op('vera', 'viewer', 9)])).toEqual([
      holders[0],
    ]);
  });
});

describe('lastSeenGranularityMs', () => {
  it('is a thirtieth of the idle limit, at most a minute', () => {
    expect(lastSeenGranularityMs({ ttlMs: 1, idleMs: 60_000 })).toBe(2000);
    expect(lastSeenGranularityMs({ ttlMs: 1, idleMs: 30 * 60_000 })).toBe(60_000);
  });
});
