import type { Intersection, PlanScheduleEntry, StoredPlan } from './network.ts';

const DAY_MS = 86_400_000;

/** Moscow is UTC+3 all year; plan schedules are in the city's local time. */
export const MOSCOW_UTC_OFFSET_MIN = 180;

/** Local minute of the day (fractional) and day kind of a wall-clock instant. */
export function localTime(wallMs: number, utcOffsetMin: number): { minute: number; weekday: boolean } {
  const local = wallMs + utcOffsetMin * 60_000;
  const inDay = ((local % DAY_MS) + DAY_MS) % DAY_MS;
  const dow = new Date(local - inDay).getUTCDay();
  return { minute: inDay / 60_000, weekday: dow !== 0 && dow !== 6 };
}

/**
 * The stored plan an intersection's time-of-day schedule selects at `wallMs` — the meaning of
 * `schedule` in the network file, shared by the signal controllers, the control loop, the traffic
 * model and operator overrides so all of them agree on what "the stored plan" is. The latest entry
 * of today's day kind that has started wins; before the first one, yesterday's last entry still
 * runs; a schedule that names no known plan falls back to the first stored plan.
 */
export function scheduledPlan(intersection: Intersection, wallMs: number, utcOffsetMin: number): StoredPlan {
  const today = localTime(wallMs, utcOffsetMin);
  const yesterday = localTime(wallMs - DAY_MS, utcOffsetMin);
  const entry =
    latestEntry(intersection.schedule, today.weekday, today.minute) ??
    latestEntry(intersection.schedule, yesterday.weekday, 1440);
  const plan = entry && intersection.plans.find((p) => p.id === entry.planId);
  // `plans` has at least one element (schema).
  return plan ?? (intersection.plans[0] as StoredPlan);
}

function latestEntry(
  schedule: readonly PlanScheduleEntry[],
  weekday: boolean,
  minute: number,
): PlanScheduleEntry | undefined {
  let best: PlanScheduleEntry | undefined;
  for (const e of schedule) {
    const day = e.days === 'all' || (e.days === 'weekday') === weekday;
    if (day && e.startMin <= minute && (!best || e.startMin >= best.startMin)) best = e;
  }
  return best;
}
