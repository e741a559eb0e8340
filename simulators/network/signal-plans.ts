import type { PhaseDef, PlanPhase, PlanScheduleEntry, StoredPlan } from '../../protocol/index.ts';

export const YELLOW_S = 3;
export const ALL_RED_S = 2;
export const MIN_GREEN_S = 7;
export const MIN_CYCLE_S = 60;
export const MAX_CYCLE_S = 120;
/** Walk interval shown to pedestrians at the start of their phase. */
export const WALK_S = 5;
/** Pedestrian clearance speed (a common design value for elderly pedestrians). */
const PED_SPEED_MS = 1.2;
/** Webster's lost time per phase: 2 s start-up plus the all-red (yellow is used by traffic). */
const LOST_PER_PHASE_S = 2 + ALL_RED_S;
const SATURATION_VEH_PER_H_LANE = 1800;

/** A time-of-day period the generator stores a plan for, and how busy it is against the AM peak. */
export const PERIODS = [
  { key: 'AM', volumeFactor: 1 },
  { key: 'DAY', volumeFactor: 0.65 },
  { key: 'PM', volumeFactor: 1.05 },
  { key: 'NIGHT', volumeFactor: 0.2 },
] as const;

/** Weekdays: AM peak 07–10, PM peak 16–20; weekends never run the peak plans. */
export function planSchedule(intersectionId: string): PlanScheduleEntry[] {
  const id = (k: string) => `${intersectionId}-${k}`;
  return [
    { days: 'weekday', startMin: 0, planId: id('NIGHT') },
    { days: 'weekday', startMin: 6 * 60, planId: id('DAY') },
    { days: 'weekday', startMin: 7 * 60, planId: id('AM') },
    { days: 'weekday', startMin: 10 * 60, planId: id('DAY') },
    { days: 'weekday', startMin: 16 * 60, planId: id('PM') },
    { days: 'weekday', startMin: 20 * 60, planId: id('DAY') },
    { days: 'weekday', startMin: 23 * 60, planId: id('NIGHT') },
    { days: 'weekend', startMin: 0, planId: id('NIGHT') },
    { days: 'weekend', startMin: 8 * 60, planId: id('DAY') },
    { days: 'weekend', startMin: 23 * 60, planId: id('NIGHT') },
  ];
}

export interface PhaseDemand {
  readonly phase: PhaseDef;
  /** Highest flow ratio (volume / saturation flow) among the lane groups the phase serves, at AM peak. */
  readonly criticalFlowRatio: number;
  /** Longest pedestrian crossing served by the phase, m (0: none). */
  readonly pedestrianCrossingM: number;
}

/** Shortest green of a phase: 7 s, or long enough for a pedestrian to walk and clear the crossing. */
export function phaseMinGreenS(pedestrianCrossingM: number): number {
  if (pedestrianCrossingM <= 0) return MIN_GREEN_S;
  const clear = Math.ceil(pedestrianCrossingM / PED_SPEED_MS);
  return Math.max(MIN_GREEN_S, WALK_S + clear - YELLOW_S - ALL_RED_S);
}

/**
 * Webster's fixed-time plan for one period: cycle C = (1.5 L + 5) / (1 − Y) clamped to
 * 60–120 s, effective green split by critical flow ratio, every green at least its minimum.
 * Whole seconds, so the cycle is exactly the sum of its phases.
 */
export function websterPlan(
  id: string,
  phases: readonly PhaseDemand[],
  volumeFactor: number,
  offsetFromStartS: number,
): StoredPlan {
  const n = phases.length;
  const ys = phases.map((p) => p.criticalFlowRatio * volumeFactor);
  const bigY = ys.reduce((a, b) => a + b, 0);
  const lost = n * LOST_PER_PHASE_S;
  const webster = bigY < 0.9 ? (1.5 * lost + 5) / (1 - bigY) : MAX_CYCLE_S;
  const mins = phases.map((p) => phaseMinGreenS(p.pedestrianCrossingM));
  const intergreens = n * (YELLOW_S + ALL_RED_S);
  const cycle = Math.max(
    Math.round(Math.min(MAX_CYCLE_S, Math.max(MIN_CYCLE_S, webster))),
    mins.reduce((a, b) => a + b, 0) + intergreens,
  );
  const greens = splitGreens(cycle - intergreens, ys, mins);
  const planPhases: PlanPhase[] = phases.map((p, i) => ({
    id: p.phase.id,
    movements: [...p.phase.movements],
    greenS: greens[i] as number,
    yellowS: YELLOW_S,
    allRedS: ALL_RED_S,
    minGreenS: mins[i] as number,
    ...(p.pedestrianCrossingM > 0 ? { walkS: WALK_S } : {}),
  }));
  const offsetS = ((Math.round(offsetFromStartS) % cycle) + cycle) % cycle;
  return { id, cycleS: cycle, offsetS, phases: planPhases };
}

/** Splits `total` whole seconds in proportion to `weights`, never below `mins`. */
function splitGreens(total: number, weights: readonly number[], mins: readonly number[]): number[] {
  const n = weights.length;
  const fixed = new Array<boolean>(n).fill(false);
  let greens = new Array<number>(n).fill(0);
  // Phases whose share falls below their minimum are pinned to it and the rest re-split.
  for (let round = 0; round <= n; round++) {
    const free = total - mins.reduce((s, m, i) => s + (fixed[i] ? m : 0), 0);
    const w = weights.reduce((s, x, i) => s + (fixed[i] ? 0 : Math.max(x, 1e-3)), 0);
    greens = weights.map((x, i) => (fixed[i] ? (mins[i] as number) : (free * Math.max(x, 1e-3)) / w));
    const below = greens.findIndex((g, i) => !fixed[i] && g < (mins[i] as number));
    if (below < 0) break;
    fixed[below] = true;
  }
  const whole = greens.map((g, i) => Math.max(mins[i] as number, Math.floor(g)));
  let rest = total - whole.reduce((a, b) => a + b, 0);
  // Hand the rounding remainder to the phases with the largest fractional parts.
  const order = greens.map((g, i) => [g - Math.floor(g), i] as const).sort((a, b) => b[0] - a[0]);
  for (let k = 0; rest > 0; k = (k + 1) % n, rest--)
    whole[order[k]?.[1] ?? 0] = (whole[order[k]?.[1] ?? 0] ?? 0) + 1;
  return whole;
}

export function criticalFlowRatio(volumesVehPerH: readonly number[], lanes: readonly number[]): number {
  let y = 0;
  volumesVehPerH.forEach((v, i) => {
    y = Math.max(y, v / ((lanes[i] ?? 1) * SATURATION_VEH_PER_H_LANE));
  });
  return y;
}
