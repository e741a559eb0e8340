import { describe, expect, it } from 'vitest';
import type { Intersection, StoredPlan } from './network.ts';
import { localTime, MOSCOW_UTC_OFFSET_MIN, scheduledPlan } from './scheduled-plan.ts';

const plan = (id: string): StoredPlan => ({
  id,
  cycleS: 60,
  offsetS: 0,
  phases: [{ id: 'P1', movements: ['NT'], greenS: 55, yellowS: 3, allRedS: 2 }],
});

// Only `plans` and `schedule` matter to the rule.
const junction = {
  plans: [plan('night'), plan('am'), plan('day'), plan('weekend')],
  schedule: [
    { days: 'weekday', startMin: 7 * 60, planId: 'am' },
    { days: 'weekday', startMin: 10 * 60, planId: 'day' },
    { days: 'all', startMin: 22 * 60, planId: 'night' },
    { days: 'weekend', startMin: 9 * 60, planId: 'weekend' },
  ],
} as unknown as Intersection;

// Monday 2026-01-12, hour in Moscow time (UTC+3).
const mondayMsk = (h: number, m = 0) => Date.UTC(2026, 0, 12, h - 3, m);

describe('scheduledPlan', () => {
  it('selects the latest started entry of the day kind, in local time', () => {
    expect(scheduledPlan(junction, mondayMsk(8), MOSCOW_UTC_OFFSET_MIN).id).toBe('am');
    expect(scheduledPlan(junction, mondayMsk(10), MOSCOW_UTC_OFFSET_MIN).id).toBe('day');
    expect(scheduledPlan(junction, mondayMsk(23), MOSCOW_UTC_OFFSET_MIN).id).toBe('night');
  });

  it("keeps yesterday's last entry before today's first", () => {
    expect(scheduledPlan(junction, mondayMsk(3), MOSCOW_UTC_OFFSET_MIN).id).toBe('night');
  });

  it('tells weekends from weekdays', () => {
    const saturday10 = Date.UTC(2026, 0, 17, 7);
    expect(scheduledPlan(junction, saturday10, MOSCOW_UTC_OFFSET_MIN).id).toBe('weekend');
  });

  it('falls back to the first plan when the schedule names none that exists', () => {
    const broken = { ...junction, schedule: [{ days: 'all', startMin: 0, planId: 'gone' }] } as Intersection;
    expect(scheduledPlan(broken, mondayMsk(12), MOSCOW_UTC_OFFSET_MIN).id).toBe('night');
  });

  it('computes local time across midnight', () => {
    expect(localTime(Date.UTC(2026, 0, 11, 22, 30), MOSCOW_UTC_OFFSET_MIN)).toEqual({
      minute: 90,
      weekday: true,
    });
  });
});
