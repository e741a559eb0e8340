import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LatencyHistogram, percentile, summarize } from './percentiles.ts';

describe('percentile (nearest rank)', () => {
  it('matches hand-computed values for 1..10', () => {
    const s = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    // rank = ceil(p/100 * 10): p50 → 5th, p95 → 10th, p90 → 9th, p10 → 1st
    expect(percentile(s, 50)).toBe(5);
    expect(percentile(s, 90)).toBe(9);
    expect(percentile(s, 95)).toBe(10);
    expect(percentile(s, 10)).toBe(1);
    expect(percentile(s, 100)).toBe(10);
  });

  it('matches hand-computed values for 100 samples 1..100 and a skewed tail', () => {
    const s = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(s, 99)).toBe(99);
    expect(percentile(s, 95)).toBe(95);
    const skewed = [...Array.from({ length: 98 }, () => 2), 500, 1000];
    expect(percentile(skewed, 50)).toBe(2);
    expect(percentile(skewed, 99)).toBe(500);
    expect(percentile(skewed, 99.5)).toBe(1000);
  });

  it('is NaN for no samples', () => {
    expect(percentile([], 50)).toBeNaN();
  });

  it('summarize sorts its input and computes the mean', () => {
    const s = summarize([4, 1, 3, 2]);
    expect(s).toMatchObject({ count: 4, min: 1, max: 4, mean: 2.5, p50: 2, p95: 4, p99: 4 });
  });
});

describe('LatencyHistogram', () => {
  it('reports percentiles within 1 % of the exact value', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0.01, max: 10_000, noNaN: true }), { minLength: 1, maxLength: 500 }),
        (values) => {
          const h = new LatencyHistogram();
          for (const v of values) h.record(v);
          const sorted = [...values].sort((a, b) => a - b);
          for (const p of [50, 95, 99]) {
            const exact = percentile(sorted, p);
            expect(Math.abs(h.percentile(p) - exact) / exact).toBeLessThanOrEqual(0.0101);
          }
        },
      ),
    );
  });

  it('merges histograms from several processes as if recorded in one', () => {
    const a = new LatencyHistogram();
    const b = new LatencyHistogram();
    const all = new LatencyHistogram();
    for (let i = 1; i <= 1000; i++) {
      (i % 2 ? a : b).record(i / 10);
      all.record(i / 10);
    }
    const merged = LatencyHistogram.from(JSON.parse(JSON.stringify(a.toJSON())));
    merged.merge(b.toJSON());
    expect(merged.summary()).toEqual(all.summary());
    expect(merged.count).toBe(1000);
    expect(merged.min).toBe(0.1);
    expect(merged.max).toBe(100);
  });

  it('p99 of 99 fast samples and one slow one is the fast value', () => {
    const h = new LatencyHistogram();
    for (let i = 0; i < 99; i++) h.record(1);
    h.record(250);
    expect(h.percentile(99)).toBeCloseTo(1, 1);
    expect(h.percentile(100)).toBe(250);
  });
});
