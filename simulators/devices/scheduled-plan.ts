import type { Intersection, PlanScheduleEntry, StoredPlan } from '../../protocol/index.ts';

const DAY_MS = 86_400_000;

/**
 * The stored plan the intersection's time-of-day schedule selects at `nowMs`. `utcOffsetMin`
 * turns the city clock into local time (the schedule is in minutes after local midnight).
 * Before the first entry of a day the previous day's last entry still runs; a schedule naming
 * no known plan falls back to the first stored plan.
 */
export function scheduledPlan(intersection: Intersection, nowMs: number, utcOffsetMin = 0): StoredPlan {
  const local = nowMs + utcOffsetMin * 60_000;
  const minute = Math.floor((((local % DAY_MS) + DAY_MS) % DAY_MS) / 60_000);
  const entry =
    latestEntry(intersection.schedule, dayKind(local), minute) ??
    latestEntry(intersection.schedule, dayKind(local - DAY_MS), 1440);
  const plan = entry && intersection.plans.find((p) => p.id === entry.planId);
  // plans has at least one element (schema), so this never yields undefined.
  return plan ?? (intersection.plans[0] as StoredPlan);
}

function dayKind(localMs: number): 'weekday' | 'weekend' {
  const weekday = new Date(localMs).getUTCDay();
  return weekday === 0 || weekday === 6 ? 'weekend' : 'weekday';
}

function latestEntry(
  schedule: readonly PlanScheduleEntry[],
  day: 'weekday' | 'weekend',
  beforeMin: number,
): PlanScheduleEntry | undefined {
  let best: PlanScheduleEntry | undefined;
  for (const e of schedule) {
    if ((e.days === 'all' || e.days === day) && e.startMin <= beforeMin) {
      if (!best || e.startMin >= best.startMin) best = e;
    }
  }
  return best;
}
