import type { Intersection, PlanPhase } from '../../protocol/index.ts';

/** Limits the controller's own conflict monitor enforces, whatever the sender checked. */
export const SAFETY = {
  /** A green serving a through movement: drivers committed at full speed need this long. */
  minGreenThroughS: 7,
  minGreenOtherS: 5,
  yellowS: { min: 3, max: 6 },
  allRedS: { min: 1, max: 3 },
  cycleS: { min: 40, max: 150 },
  /** Sum of phase times may differ from cycleS by float rounding only. */
  cycleToleranceS: 0.001,
} as const;

/** The timing part every plan shares, whether stored in the network or received over MQTT. */
export interface PlanTiming {
  readonly cycleS: number;
  readonly phases: readonly PlanPhase[];
}

export type SafetyVerdict = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/**
 * Shortest green the controller will ever run for a phase: the rule minimum (7 s when it
 * serves a through movement, 5 s otherwise) or the plan's own `minGreenS` if that is longer.
 */
export function minimumGreenS(intersection: Intersection, phase: PlanPhase): number {
  const through = phase.movements.some((m) => intersection.movements.find((v) => v.id === m)?.turn === 'T');
  const rule = through ? SAFETY.minGreenThroughS : SAFETY.minGreenOtherS;
  return Math.max(rule, phase.minGreenS ?? 0);
}

/**
 * The controller's conflict monitor: a plan runs only when every phase serves movements that
 * exist here and never conflict, greens, yellows and all-reds lie inside their bounds, and the
 * cycle is the sum of its phases and within 40–150 s. Returns the first violation found.
 */
export function checkPlanSafety(intersection: Intersection, plan: PlanTiming): SafetyVerdict {
  const known = new Set<string>([
    ...intersection.movements.map((m) => m.id),
    ...intersection.pedestrianCrossings.map((p) => p.id),
  ]);
  const ids = new Set<string>();
  let sum = 0;
  for (const phase of plan.phases) {
    if (ids.has(phase.id)) return refuse(`phase ${phase.id} appears twice`);
    ids.add(phase.id);
    const unknown = phase.movements.find((m) => !known.has(m));
    if (unknown !== undefined) return refuse(`phase ${phase.id}: movement ${unknown} does not exist here`);
    const together = new Set(phase.movements);
    const clash = intersection.conflicts.find(([a, b]) => together.has(a) && together.has(b));
    if (clash) return refuse(`phase ${phase.id}: ${clash[0]} conflicts with ${clash[1]}`);
    const minGreen = minimumGreenS(intersection, phase);
    if (!(phase.greenS >= minGreen)) {
      return refuse(`phase ${phase.id}: green ${phase.greenS} s is below the minimum ${minGreen} s`);
    }
    // Clearance: a vehicle entering on yellow must be able to stop or clear the box before the
    // next phase's green, so neither interval may be skipped or shortened.
    if (!within(phase.yellowS, SAFETY.yellowS)) {
      return refuse(`phase ${phase.id}: yellow ${phase.yellowS} s outside 3–6 s`);
    }
    if (!within(phase.allRedS, SAFETY.allRedS)) {
      return refuse(`phase ${phase.id}: all-red ${phase.allRedS} s outside 1–3 s`);
    }
    sum += phase.greenS + phase.yellowS + phase.allRedS;
  }
  if (plan.phases.length === 0) return refuse('plan has no phases');
  if (Math.abs(sum - plan.cycleS) > SAFETY.cycleToleranceS) {
    return refuse(`cycle ${plan.cycleS} s differs from the sum of its phases (${round(sum)} s)`);
  }
  if (!within(plan.cycleS, SAFETY.cycleS)) return refuse(`cycle ${plan.cycleS} s outside 40–150 s`);
  return { ok: true };
}

function within(value: number, range: { readonly min: number; readonly max: number }): boolean {
  return value >= range.min && value <= range.max;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

function refuse(reason: string): SafetyVerdict {
  return { ok: false, reason };
}
