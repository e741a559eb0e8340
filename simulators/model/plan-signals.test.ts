import { describe, expect, it } from 'vitest';
import { generateNetwork } from '../network/generate-network.ts';
import { activePlan, cycleSecondAt, localTime, planSignalsAt } from './plan-signals.ts';

const plan = {
  cycleS: 60,
  offsetS: 10,
  phases: [
    { id: 'P1', movements: ['NT', 'NR'], greenS: 25, yellowS: 3, allRedS: 2 },
    { id: 'P2', movements: ['ET', 'NR'], greenS: 25, yellowS: 3, allRedS: 2 },
  ],
};

describe('stored plan signals', () => {
  it('shows green, then yellow, then all-red for a phase', () => {
    expect(planSignalsAt(plan, 0).get('NT')).toBe('green');
    expect(planSignalsAt(plan, 24.9).get('NT')).toBe('green');
    expect(planSignalsAt(plan, 25).get('NT')).toBe('yellow');
    expect(planSignalsAt(plan, 28).get('NT')).toBe('red');
    expect(planSignalsAt(plan, 28).get('ET')).toBe('red');
    expect(planSignalsAt(plan, 30).get('ET')).toBe('green');
    expect(planSignalsAt(plan, 30).get('NT')).toBe('red');
    expect(planSignalsAt(plan, 89).get('NT')).toBe('red'); // 89 s wraps to 29 s: all-red
  });

  it('keeps a movement green across a change when the next phase serves it too', () => {
    for (const s of [0, 26, 29, 31, 56, 59]) expect(planSignalsAt(plan, s).get('NR')).toBe('green');
  });

  it('aligns cycles to the epoch plus the offset', () => {
    expect(cycleSecondAt(plan, 10_000)).toBe(0);
    expect(cycleSecondAt(plan, 75_000)).toBe(5);
    expect(cycleSecondAt(plan, 5_000)).toBe(55);
  });

  it('selects the scheduled plan by local time and day', () => {
    const x = generateNetwork({ intersections: 4, seed: 1, buildings: 0 }).intersections[0];
    if (!x) throw new Error('no intersection');
    const at = (utc: string) => activePlan(x, Date.parse(utc)).id;
    expect(at('2026-01-12T05:00:00Z')).toBe(`${x.id}-AM`); // Monday 08:00 Moscow
    expect(at('2026-01-12T14:00:00Z')).toBe(`${x.id}-PM`); // Monday 17:00
    expect(at('2026-01-12T09:00:00Z')).toBe(`${x.id}-DAY`); // Monday 12:00
    expect(at('2026-01-12T00:00:00Z')).toBe(`${x.id}-NIGHT`); // Monday 03:00
    expect(at('2026-01-17T05:00:00Z')).toBe(`${x.id}-DAY`); // Saturday 08:00: no peak plan
    expect(activePlan(x, Date.parse('2026-01-12T05:00:00Z'), 0).id).toBe(`${x.id}-NIGHT`); // 05:00 UTC
  });

  it('knows local weekdays across midnight', () => {
    // Friday 22:30 UTC is Saturday 01:30 in Moscow.
    expect(localTime(Date.parse('2026-01-16T22:30:00Z'), 180)).toEqual({ minute: 90, weekday: false });
    expect(localTime(Date.parse('2026-01-16T22:30:00Z'), 0)).toEqual({ minute: 1350, weekday: true });
  });
});
