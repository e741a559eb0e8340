import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_BACKOFF, reconnectDelayMs } from './backoff.ts';
import { seededRng } from './seeded-rng.ts';

describe('reconnect backoff', () => {
  it('stays between the minimum and the doubling ceiling', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 60 }),
        fc.double({ min: 0, max: 0.999_999, noNaN: true }),
        (attempt, r) => {
          const d = reconnectDelayMs(attempt, () => r);
          const ceiling = Math.min(DEFAULT_BACKOFF.maxMs, DEFAULT_BACKOFF.baseMs * 2 ** attempt);
          expect(d).toBeGreaterThanOrEqual(DEFAULT_BACKOFF.minMs);
          expect(d).toBeLessThanOrEqual(Math.max(DEFAULT_BACKOFF.minMs, ceiling));
        },
      ),
    );
  });

  it('never exceeds the cap however many attempts failed', () => {
    expect(reconnectDelayMs(1000, () => 0.999_999, { maxMs: 30_000 })).toBeLessThanOrEqual(30_000);
  });

  it('spreads devices that dropped together over the whole window', () => {
    const rng = seededRng(7);
    const delays = Array.from({ length: 2000 }, () => reconnectDelayMs(4, rng)); // window 0.5–32 s
    const buckets = new Array(8).fill(0);
    for (const d of delays) buckets[Math.min(7, Math.floor(((d - 500) / 31_500) * 8))]++;
    // Uniform spread: every eighth of the window gets a fair share, none gets a storm.
    for (const b of buckets) {
      expect(b).toBeGreaterThan(150);
      expect(b).toBeLessThan(350);
    }
  });

  it('grows the window with each failed attempt', () => {
    expect(reconnectDelayMs(0, () => 1 - 1e-9)).toBeLessThan(reconnectDelayMs(3, () => 1 - 1e-9));
  });
});
