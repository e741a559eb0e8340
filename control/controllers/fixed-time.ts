import { type Intersection, type SignalPlan, scheduledPlan } from '../../protocol/index.ts';

// The schedule rule lives in protocol/ so signals, model, control and overrides agree on it.
export { scheduledPlan };

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
