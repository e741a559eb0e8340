import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GatewayReadings, MeterReadings } from '../../protocol/index.ts';
import { bufferReadings, emptyBuffer, takeBatches } from './gateway-batcher.ts';
import { demandAt } from './meter-profile.ts';
import { createMeterSim, type MeterAnomaly, readMeter } from './meter-simulation.ts';
import { seededRng } from './seeded-rng.ts';

const WED = Date.UTC(2026, 10, 25, 0, 0); // Wednesday, UTC midnight
const SAT = Date.UTC(2026, 10, 28, 0, 0);
const H = 3_600_000;
const opts = { utcOffsetMin: 0, noise: 0, rng: seededRng(1) };

function run(
  anomaly: MeterAnomaly,
  kind: 'water' | 'electricity' = 'water',
  use: 'residential' | 'office' = 'residential',
) {
  let sim = createMeterSim({ id: 'm1', kind, use, scale: 1, anomaly, startMs: WED });
  const readings = [];
  for (let t = WED + 60_000; t <= WED + 24 * H; t += 15 * 60_000) {
    const r = readMeter(sim, t, opts);
    sim = r.sim;
    readings.push(r.reading);
  }
  return { sim, readings };
}

describe('meter profiles', () => {
  it('offices use water on weekday working hours and hardly at weekends', () => {
    const weekday = demandAt('water', 'office', WED + 10 * H, 0);
    const weekend = demandAt('water', 'office', SAT + 10 * H, 0);
    expect(weekday).toBeGreaterThan(10 * weekend);
  });

  it('homes get up later at weekends', () => {
    expect(demandAt('water', 'residential', WED + 7 * H, 0)).toBeGreaterThan(
      demandAt('water', 'residential', SAT + 7 * H, 0),
    );
    expect(demandAt('water', 'residential', SAT + 10 * H, 0)).toBeGreaterThan(
      demandAt('water', 'residential', WED + 10 * H, 0),
    );
  });

  it('follows local time', () => {
    // 07:00 UTC is 10:00 in Moscow.
    expect(demandAt('water', 'office', WED + 7 * H, 180)).toBe(demandAt('water', 'office', WED + 10 * H, 0));
  });
});

describe('meter simulation', () => {
  it('integrates demand into a rising register', () => {
    const { sim, readings } = run({ kind: 'none' });
    const values = readings.map((r) => r?.value ?? -1);
    for (let i = 1; i < values.length; i++) expect(values[i]).toBeGreaterThanOrEqual(values[i - 1] as number);
    // A residential day is about 24 × 600 L = 14.4 m³.
    expect(sim.register).toBeGreaterThan(10);
    expect(sim.register).toBeLessThan(20);
  });

  it('a leak keeps water flowing at night', () => {
    const normal = run({ kind: 'none' }, 'water', 'office').readings[12]; // 03:01 local
    const leaking = run({ kind: 'leak', fromMs: WED, flowLph: 40 }, 'water', 'office').readings[12];
    expect(normal?.flow).toBe(0);
    expect(leaking?.flow).toBeGreaterThanOrEqual(40);
  });

  it('a stuck meter repeats the same values', () => {
    const { readings } = run({ kind: 'stuck', fromMs: WED + 6 * H });
    const after = readings.slice(30).map((r) => [r?.value, r?.flow]);
    expect(new Set(after.map((v) => JSON.stringify(v))).size).toBe(1);
    expect(readings[40]?.ts).toBeGreaterThan(readings[30]?.ts ?? Infinity);
  });

  it('an outage silences the meter and meters nothing meanwhile', () => {
    const { readings } = run({ kind: 'outage', fromMs: WED + 6 * H, untilMs: WED + 12 * H });
    expect(readings[30]).toBeNull();
    const before = readings[23]?.value ?? 0; // 05:46
    const after = readings[48]?.value ?? 0; // 12:01
    const normal = run({ kind: 'none' }).readings;
    expect(after - before).toBeLessThan((normal[48]?.value ?? 0) - (normal[23]?.value ?? 0));
  });

  it('produces schema-valid readings for every kind, use, anomaly and time', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('water' as const, 'electricity' as const),
        fc.constantFrom('residential' as const, 'office' as const, 'retail' as const, 'public' as const),
        fc.double({ min: 0.1, max: 50, noNaN: true }),
        fc.integer({ min: 0, max: 14 * 24 * 60 }),
        fc.double({ min: 0, max: 0.5, noNaN: true }),
        (kind, use, scale, minutes, noise) => {
          const sim = createMeterSim({ id: 'm', kind, use, scale, startMs: WED, register: 1234.5 });
          const { reading } = readMeter(sim, WED + minutes * 60_000, {
            utcOffsetMin: 180,
            noise,
            rng: seededRng(minutes),
          });
          expect(MeterReadings.safeParse(reading).success).toBe(true);
        },
      ),
    );
  });
});

describe('gateway batching', () => {
  const r = (i: number) => ({ ts: WED + i, kind: 'water' as const, value: i, meterId: `m${i % 7}` });

  it('splits into protocol-sized, schema-valid batches in order', () => {
    const buf = bufferReadings(
      emptyBuffer,
      Array.from({ length: 2500 }, (_, i) => r(i)),
      10_000,
    );
    const { batches, buf: after } = takeBatches(buf);
    expect(batches.map((b) => b.length)).toEqual([1000, 1000, 500]);
    expect(batches.every((b) => GatewayReadings.safeParse(b).success)).toBe(true);
    expect(batches.flat().map((x) => x.value)).toEqual(Array.from({ length: 2500 }, (_, i) => i));
    expect(after.readings).toHaveLength(0);
  });

  it('drops the oldest readings when full, and counts them', () => {
    const buf = bufferReadings(bufferReadings(emptyBuffer, [r(1), r(2), r(3)], 4), [r(4), r(5)], 4);
    expect(buf.readings.map((x) => x.value)).toEqual([2, 3, 4, 5]);
    expect(buf.dropped).toBe(1);
  });
});
