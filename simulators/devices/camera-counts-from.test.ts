import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CameraCounts } from '../../protocol/index.ts';
import { type ApproachObservation, cameraCountsFrom, observe, openWindow } from './camera-counts-from.ts';
import { seededRng } from './seeded-rng.ts';

const T = Date.UTC(2026, 10, 25, 8, 0, 5);

function windowOf(samples: ApproachObservation[]) {
  const [first, ...rest] = samples;
  let w = openWindow(first ?? { departures: 0, queueVeh: 0, occupancy: 0, meanSpeedKmh: null });
  for (const s of rest) w = observe(w, s);
  return w;
}

const steps: ApproachObservation[] = [
  { departures: 100, queueVeh: 3, occupancy: 0, meanSpeedKmh: null },
  { departures: 101, queueVeh: 2, occupancy: 0.4, meanSpeedKmh: 30 },
  { departures: 103, queueVeh: 1, occupancy: 0.6, meanSpeedKmh: 34 },
  { departures: 104, queueVeh: 4, occupancy: 0.2, meanSpeedKmh: null },
];

const base = { endMs: T, intervalS: 5, noise: 0, fault: 'none' as const, rng: seededRng(1), last: null };

describe('camera counts', () => {
  it('counts the vehicles that crossed during the window, with mean occupancy and speed', () => {
    const c = cameraCountsFrom(windowOf(steps), base);
    expect(c).toEqual({
      ts: T,
      intervalS: 5,
      intensity: 4,
      occupancy: 0.4,
      queueLength: 4,
      averageVehicleSpeed: 32,
    });
  });

  it('produces schema-valid payloads for any model output, noise and fault', () => {
    const obs = fc.record({
      departures: fc.nat({ max: 1_000_000 }),
      queueVeh: fc.double({ min: 0, max: 500, noNaN: true }),
      occupancy: fc.double({ min: 0, max: 1, noNaN: true }),
      meanSpeedKmh: fc.option(fc.double({ min: 0, max: 120, noNaN: true })),
    });
    fc.assert(
      fc.property(
        fc.array(obs, { minLength: 1, maxLength: 20 }),
        fc.double({ min: 0, max: 2, noNaN: true }),
        fc.constantFrom('none', 'stuck', 'miscounting'),
        fc.integer(),
        (samples, noise, fault, seed) => {
          const sorted = [...samples].sort((a, b) => a.departures - b.departures);
          const c = cameraCountsFrom(windowOf(sorted), { ...base, noise, fault, rng: seededRng(seed) });
          expect(CameraCounts.safeParse(c).success).toBe(true);
        },
      ),
    );
  });

  it('a silent camera sends nothing', () => {
    expect(cameraCountsFrom(windowOf(steps), { ...base, fault: 'silent' })).toBeNull();
  });

  it('a stuck camera repeats its last counts with a fresh timestamp', () => {
    const last = { ts: T - 5000, intervalS: 5, intensity: 17, occupancy: 0.5, queueLength: 2 };
    const c = cameraCountsFrom(windowOf(steps), { ...base, fault: 'stuck', last });
    expect(c).toEqual({ ...last, ts: T });
  });

  it('a miscounting camera under-reports by its factor', () => {
    const w = windowOf([
      steps[0] as ApproachObservation,
      { ...(steps[3] as ApproachObservation), departures: 140 },
    ]);
    expect(cameraCountsFrom(w, { ...base, fault: 'miscounting', miscountFactor: 0.5 })?.intensity).toBe(20);
  });

  it('noise changes counts but keeps them near the truth on average', () => {
    const w = windowOf([
      steps[0] as ApproachObservation,
      { ...(steps[3] as ApproachObservation), departures: 200 },
    ]);
    const rng = seededRng(3);
    const counts = Array.from(
      { length: 500 },
      () => cameraCountsFrom(w, { ...base, noise: 0.1, rng })?.intensity ?? 0,
    );
    const mean = counts.reduce((a, b) => a + b, 0) / counts.length;
    expect(new Set(counts).size).toBeGreaterThan(5);
    expect(Math.abs(mean - 100)).toBeLessThan(3);
  });
});
