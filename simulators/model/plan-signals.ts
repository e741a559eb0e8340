import type { Intersection, PlanScheduleEntry, StoredPlan } from '../../protocol/index.ts';

export type SignalColor = 'green' | 'yellow' | 'red';

const DAY_MS = 86_400_000;

/** Local time of day and day kind of a wall-clock instant. */
export function localTime(wallMs: number, utcOffsetMin: number): { minute: number; weekday: boolean } {
  const local = wallMs + utcOffsetMin * 60_000;
  const inDay = ((local % DAY_MS) + DAY_MS) % DAY_MS;
  const dow = new Date(local - inDay).getUTCDay();
  return { minute: inDay / 60_000, weekday: dow !== 0 && dow !== 6 };
}

/**
 * The stored plan the schedule selects at `wallMs`: the latest entry of today's kind that has
 * started, or else yesterday's last one; the first plan when the schedule names none.
 */
export function activePlan(intersection: Intersection, wallMs: number, utcOffsetMin = 180): StoredPlan {
  const today = localTime(wallMs, utcOffsetMin);
  const yesterday = localTime(wallMs - DAY_MS, utcOffsetMin);
  const entry =
    latest(intersection.schedule, today.weekday, today.minute) ??
    latest(intersection.schedule, yesterday.weekday, 1440);
  const plan = entry && intersection.plans.find((p) => p.id === entry.planId);
  return plan ?? (intersection.plans[0] as StoredPlan);
}

function latest(schedule: readonly PlanScheduleEntry[], weekday: boolean, minute: number) {
  let best: PlanScheduleEntry | undefined;
  for (const e of schedule) {
    const day = e.days === 'all' || (e.days === 'weekday') === weekday;
    if (day && e.startMin <= minute && (!best || e.startMin >= best.startMin)) best = e;
  }
  return best;
}

/**
 * What a fixed-time plan shows `cycleSecond` seconds into its cycle (0 ≤ s < cycleS): the running
 * phase's movements are green, then yellow, then red through the all-red; a movement that the next
 * phase serves too stays green across the change. Movements of no phase are absent (red).
 */
export function planSignalsAt(
  plan: Pick<StoredPlan, 'phases' | 'cycleS'>,
  cycleSecond: number,
): Map<string, SignalColor> {
  const s = ((cycleSecond % plan.cycleS) + plan.cycleS) % plan.cycleS;
  const out = new Map<string, SignalColor>();
  for (const ph of plan.phases) for (const m of ph.movements) out.set(m, 'red');
  let start = 0;
  const n = plan.phases.length;
  for (let k = 0; k < n; k++) {
    const ph = plan.phases[k];
    if (!ph) break;
    const end = start + ph.greenS + ph.yellowS + ph.allRedS;
    if (s < end || k === n - 1) {
      const next = new Set(plan.phases[(k + 1) % n]?.movements ?? []);
      const into = s - start;
      const interval: SignalColor | 'allRed' =
        into < ph.greenS ? 'green' : into < ph.greenS + ph.yellowS ? 'yellow' : 'allRed';
      for (const m of ph.movements) {
        if (interval === 'green' || next.has(m)) out.set(m, 'green');
        else out.set(m, interval === 'yellow' ? 'yellow' : 'red');
      }
      break;
    }
    start = end;
  }
  return out;
}

/** Seconds into the cycle at a wall-clock instant: cycles are aligned to the epoch plus the offset. */
export function cycleSecondAt(plan: Pick<StoredPlan, 'cycleS' | 'offsetS'>, wallMs: number): number {
  const s = (wallMs / 1000 - plan.offsetS) % plan.cycleS;
  return s < 0 ? s + plan.cycleS : s;
}
