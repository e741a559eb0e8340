import { describe, expect, it } from 'vitest';
import {
  applyReading,
  emptyTrack,
  isNight,
  meterAnomaly,
  defaultMeterRules as rules,
} from './meter-anomaly.ts';

const H = 3_600_000;
// 2026-11-30 00:00 Moscow (UTC+3) = 2026-11-29 21:00 UTC.
const MIDNIGHT = Date.UTC(2026, 10, 29, 21, 0, 0);

function feed(kind: 'water' | 'electricity', points: [number, number, number?][]) {
  let t = emptyTrack(kind);
  for (const [ts, value, flow] of points) t = applyReading(t, { ts, value, flow }, rules);
  return t;
}

describe('meter anomaly rules', () => {
  it('knows local night from the UTC offset', () => {
    expect(isNight(MIDNIGHT + 2 * H, rules)).toBe(true);
    expect(isNight(MIDNIGHT + 12 * H, rules)).toBe(false);
  });

  it('flags water flowing without pause through the night as a leak', () => {
    const pts: [number, number, number][] = [];
    for (let m = 60; m <= 240; m += 15) pts.push([MIDNIGHT + m * 60_000, 100 + m / 100, 20]);
    const t = feed('water', pts);
    expect(meterAnomaly(t, MIDNIGHT + 240 * 60_000, 1, 0, rules)).toBe('leak');
  });

  it('does not flag a night with a pause in the flow', () => {
    const pts: [number, number, number][] = [];
    for (let m = 60; m <= 240; m += 15) pts.push([MIDNIGHT + m * 60_000, 100 + m / 100, m === 150 ? 0 : 20]);
    expect(meterAnomaly(feed('water', pts), MIDNIGHT + 240 * 60_000, 1, 0, rules)).toBeNull();
  });

  it('flags a register that stands still while most meters move as stuck, but not in a quiet hour for all', () => {
    const pts: [number, number][] = [];
    for (let h = 0; h <= 4; h++) pts.push([MIDNIGHT + 12 * H + h * H, 500]);
    const t = feed('electricity', pts);
    const now = MIDNIGHT + 16 * H;
    expect(meterAnomaly(t, now, 0.9, 0, rules)).toBe('stuck');
    expect(meterAnomaly(t, now, 0.1, 0, rules)).toBeNull();
  });

  it('flags a meter silent beyond the outage time, but not before it had time to report', () => {
    const t = feed('water', [[MIDNIGHT, 1]]);
    expect(meterAnomaly(t, MIDNIGHT + 29 * 60_000, 1, 0, rules)).toBeNull();
    expect(meterAnomaly(t, MIDNIGHT + 31 * 60_000, 1, 0, rules)).toBe('outage');
    expect(meterAnomaly(emptyTrack('water'), MIDNIGHT + 10 * 60_000, 1, MIDNIGHT, rules)).toBeNull();
  });
});
