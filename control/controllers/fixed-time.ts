import type { Intersection, SignalPlan, StoredPlan } from '../../protocol/index.ts';

/**
 * The stored plan the schedule selects at `nowMs`: the entry with the latest start not after the
 * local minute among today's entries (weekday/weekend/all), else the latest of yesterday's.
 */
export function scheduledPlan(intersection: Intersection, nowMs: number, utcOffsetMin: number): StoredPlan {
  const local = new Date(nowMs + utcOffsetMin * 60_000);
  const minute = local.getUTCHours() * 60 + local.getUTCMinutes();
  const day = local.getUTCDay();
  const yesterday = (day + 6) % 7;
  const matches = (days: 'all' | 'weekday' | 'weekend', d: number) =>
    days === 'all' || (days === 'weekend') === (d === 0 || d === 6);
  let best: { startMin: number; planId: string } | undefined;
  for (const e of intersection.schedule) {
    if (matches(e.days, day) && e.startMin <= minute && (!best || e.startMin >= best.startMin)) best = e;
  }
  if (!best) {
    for (const e of intersection.schedule) {
      if (matches(e.days, yesterday) && (!best || e.startMin >= best.startMin)) best = e;
    }
  }
  const plan = intersection.plans.find((p) => p.id === best?.planId) ?? intersection.plans[0];
  if (!plan) throw new Error(`intersection ${intersection.id} has no stored plan`);
  return plan;
}

/** Fixed-time control: the hand-tuned stored plan for the time of day, as a signal plan. */
export function fixedTimePlan(intersection: Intersection, nowMs: number, utcOffsetMin: number): SignalPlan {
  const stored = scheduledPlan(intersection, nowMs, utcOffsetMin);
  return {
    ts: nowMs,
    planId: stored.id,
    source: 'fixed',
    cycleS: stored.cycleS,
    offsetS: stored.offsetS,
    phases: stored.phases.map((p) => ({ ...p })),
  };
}
