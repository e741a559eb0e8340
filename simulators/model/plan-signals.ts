import {
  type Intersection,
  localTime,
  MOSCOW_UTC_OFFSET_MIN,
  type StoredPlan,
  scheduledPlan,
} from '../../protocol/index.ts';

export type SignalColor = 'green' | 'yellow' | 'red';

export { localTime };

/** The stored plan the schedule selects at `wallMs` (protocol's rule; Moscow time by default). */
export function activePlan(
  intersection: Intersection,
  wallMs: number,
  utcOffsetMin = MOSCOW_UTC_OFFSET_MIN,
): StoredPlan {
  return scheduledPlan(intersection, wallMs, utcOffsetMin);
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
