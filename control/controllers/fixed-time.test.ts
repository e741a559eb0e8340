import { describe, expect, it } from 'vitest';
import type { Intersection } from '../../protocol/index.ts';
import { crossIntersection, storedPlan } from '../test-support/cross-intersection.ts';
import { fixedTimePlan, scheduledPlan } from './fixed-time.ts';

const MSK = 180;
// Monday 12 Jan 2026; local = UTC + 3 h
const monday = (h: number, m = 0) => Date.UTC(2026, 0, 12, h - 3, m);

describe('fixed-time control', () => {
  const junction = crossIntersection();
  it('runs the day plan by day and the night plan at night', () => {
    expect(scheduledPlan(junction, monday(8), MSK).id).toBe('day');
    expect(scheduledPlan(junction, monday(23, 30), MSK).id).toBe('night');
    expect(scheduledPlan(junction, monday(3), MSK).id).toBe('night');
  });

  it('honours weekday and weekend entries, carrying yesterday over midnight', () => {
    const j: Intersection = {
      ...junction,
      plans: [storedPlan('wk', [10, 30, 10, 25]), storedPlan('we', [7, 20, 7, 20])],
      schedule: [
        { days: 'weekday', startMin: 420, planId: 'wk' },
        { days: 'weekend', startMin: 600, planId: 'we' },
      ],
    };
    expect(scheduledPlan(j, monday(8), MSK).id).toBe('wk');
    // Saturday 17 Jan, 11:00 local
    expect(scheduledPlan(j, Date.UTC(2026, 0, 17, 8), MSK).id).toBe('we');
    // Monday 05:00 local: no weekday entry yet today, Sunday's last entry still runs
    expect(scheduledPlan(j, monday(5), MSK).id).toBe('we');
  });

  it('sends the stored timings unchanged, stamped with the time', () => {
    const plan = fixedTimePlan(junction, monday(8), MSK);
    expect(plan).toMatchObject({ planId: 'day', source: 'fixed', ts: monday(8), cycleS: 97 });
    expect(plan.phases.map((p) => p.greenS)).toEqual([10, 30, 10, 25]);
  });
});
