import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CameraCounts } from '../../protocol/index.ts';
import { type ApproachObservation, cameraCountsFrom } from './camera-counts-from.ts';
import { seededRng } from './seeded-rng.ts';

const T = Date.UTC(2026, 10, 25, 8, 0, 5);

const start: ApproachObservation = { departures: 100, queueVeh: 3, occupiedS: 40, speedSumKmh: 3000 };
const end: ApproachObservation = { departures: 104, queueVeh: 4, occupiedS: 42, speedSumKmh: 3128 };

const base = { endMs: T, intervalS: 5, noise: 0, fault: 'none' as const, rng: seededRng(1), last: null };

describe('camera counts', () => {
  it('counts the vehicles that crossed during the interval, with occupancy, mean speed and queue', () => {
    expect(cameraCountsFrom(start, end, base)).toEqual({
      ts: T,
      intervalS: 5,
      intensity: 4,
      occupancy: 0.4,
      queueLength: 4,
      averageVehicleSpeed: 32,
    });
  });

  it('leaves the speed out when nothing crossed', () => {
    const c = cameraCountsFrom(start, { ...start, queueVeh: 9, occupiedS: 45 }, base);
    expect(c).toEqual({ ts: T, intervalS: 5, intensity: 0, occupancy: 1, queueLength: 9 });
  });

  it('produces schema-valid payloads for any model output, noise and fault', () => {
    const obs = fc.record({
      departures: fc.nat({ max: 1_000_000 }),
      queueVeh: fc.double({ min: 0, max: 500, noNaN: true }),
      occupiedS: fc.double({ min: 0, max: 1e6, noNaN: true }),
      speedSumKmh: fc.double({ min: 0, max: 1e8, noNaN: true }),
    });
    fc.assert(
      fc.property(
        obs,
        obs,
        fc.double({ min: 0, max: 2, noNaN: true }),
        fc.constantFrom('none' as const, 'stuck' as const, 'miscounting' as const),
        fc.integer(),
        fc.integer({ min: 1, max: 3600 }),
        (a, b, noise, fault, seed, intervalS) => {
          const c = cameraCountsFrom(a, b, { ...base, intervalS, noise, fault, rng: seededRng(seed) });
          expect(CameraCounts.safeParse(c).success).toBe(true);
        },
      ),
    );
  });

  it('a silent camera sends nothing', () => {
    expect(cameraCountsFrom(start, end, { ...base, fault: 'silent' })).toBeNull();
  });

  it('a stuck camera repeats its last counts with a fresh timestamp', () => {
    const last = { ts: T - 5000, intervalS: 5, intensity: 17, occupancy: 0.5, queueLength: 2 };
    expect(cameraCountsFrom(start, end, { ...base, fault: 'stuck', last })).toEqual({ ...last, ts: T });
  });

  it('a miscounting camera under-reports by its factor', () => {
    const busy = { ...end, departures: 140, speedSumKmh: 3000 + 40 * 30 };
    expect(
      cameraCountsFrom(start, busy, { ...base, fault: 'miscounting', miscountFactor: 0.5 })?.intensity,
    ).toBe(20);
  });

  it('noise changes counts but keeps them near the truth on average', () => {
    const busy = { ...end, departures: 200, speedSumKmh: 3000 + 100 * 30 };
    const rng = seededRng(3);
    const counts = Array.from(
      { length: 500 },
      () => cameraCountsFrom(start, busy, { ...base, noise: 0.1, rng })?.intensity ?? 0,
    );
    const mean = counts.reduce((x, y) => x + y, 0) / counts.length;
    expect(new Set(counts).size).toBeGreaterThan(5);
    expect(Math.abs(mean - 100)).toBeLessThan(3);
  });
});
