import { describe, expect, it } from 'vitest';
import type { Link } from '../../protocol/index.ts';
import { createRandom } from '../network/seeded-random.ts';
import {
  constantDemand,
  type DemandClock,
  perLinkDemand,
  poisson,
  profileFactor,
  rampDemand,
  timeOfDayDemand,
} from './demand.ts';

const at = (hour: number, weekday = true, timeS = 0): DemandClock => ({
  timeS,
  wallMs: 0,
  localMinute: hour * 60,
  weekday,
});
const link = (id: string, roadClass: 'arterial' | 'side', lanes: number): Link => ({
  id,
  from: null,
  to: 'I-0',
  toApproach: 'N',
  lengthM: 500,
  lanes,
  speedLimitKmh: 50,
  roadClass,
  geometry: [
    [37.6, 55.7],
    [37.6, 55.71],
  ],
});

describe('demand', () => {
  it('peaks on weekday mornings and evenings, not at night or on weekend mornings', () => {
    expect(profileFactor(at(8))).toBe(1);
    expect(profileFactor(at(18))).toBe(1);
    expect(profileFactor(at(3))).toBeLessThan(0.1);
    expect(profileFactor(at(8, false))).toBeLessThan(0.5);
    expect(profileFactor(at(13, false))).toBeGreaterThan(profileFactor(at(8, false)));
    expect(profileFactor(at(8.5))).toBeCloseTo((1 + 0.85) / 2); // interpolated within the hour
  });

  it('scales the default entry rate with lanes and road class, and starts trips along streets', () => {
    const d = timeOfDayDemand();
    expect(d.entryVehPerH(link('A', 'arterial', 3), at(8))).toBe(1200);
    expect(d.entryVehPerH(link('S', 'side', 1), at(8))).toBe(180);
    expect(d.sourceVehPerH?.(link('A', 'arterial', 3), at(8))).toBe(20); // 40 veh/h/km × 0.5 km
    expect(d.tripEndShare).toBe(0.05);
  });

  it('expresses the evaluation scenarios: constant, ramp and per-link rates', () => {
    const flat = constantDemand({ arterialVehPerH: 900, sideVehPerH: 200, turnRatios: { T: 1 } });
    expect(flat.entryVehPerH(link('A', 'arterial', 3), at(3))).toBe(900);
    expect(flat.turnRatios?.({} as never, 'N')).toEqual({ T: 1 });
    const ramp = rampDemand({
      from: { arterial: 300, side: 0 },
      to: { arterial: 1300, side: 100 },
      overS: 1000,
    });
    expect(ramp.entryVehPerH(link('A', 'arterial', 3), at(8, true, 500))).toBe(800);
    expect(ramp.entryVehPerH(link('A', 'arterial', 3), at(8, true, 5000))).toBe(1300);
    const lopsided = perLinkDemand(new Map([['EAST', 1500]]), flat);
    expect(lopsided.entryVehPerH(link('EAST', 'arterial', 3), at(8))).toBe(1500);
    expect(lopsided.entryVehPerH(link('WEST', 'arterial', 3), at(8))).toBe(900);
  });

  it('draws Poisson counts with the right mean, for small and large means', () => {
    const rand = createRandom(1);
    for (const mean of [0.2, 3, 50]) {
      let sum = 0;
      for (let k = 0; k < 20_000; k++) sum += poisson(mean, rand);
      expect(sum / 20_000).toBeGreaterThan(mean * 0.97);
      expect(sum / 20_000).toBeLessThan(mean * 1.03);
    }
    expect(poisson(0, rand)).toBe(0);
  });
});
