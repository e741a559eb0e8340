import type { Approach, CameraCounts, Intersection, SignalPlan } from '../../protocol/index.ts';
import {
  type ApproachEstimate,
  emptyApproachEstimate,
  updateApproach,
} from '../estimation/approach-estimate.ts';
import { approachCapacityVehPerH } from '../estimation/estimate-demand.ts';
import type { ControlConfig } from './control-config.ts';

/** What the loop remembers about one intersection between ticks. Mutable, owned by one loop. */
export interface IntersectionState {
  readonly approaches: Map<Approach, ApproachEstimate>;
  /** Approaches whose camera the signal reports faulty. */
  faultyApproaches: Set<Approach>;
  /** Last plan that passed the envelope and was sent, and when its controller last recomputed. */
  lastPlan: SignalPlan | null;
  lastComputedMs: number | null;
  /** Operator override in force until this instant (the loop sends nothing meanwhile). */
  operatorUntilMs: number | null;
}

export function newIntersectionState(): IntersectionState {
  return {
    approaches: new Map(),
    faultyApproaches: new Set(),
    lastPlan: null,
    lastComputedMs: null,
    operatorUntilMs: null,
  };
}

/** Folds one camera's counts into the intersection's approach estimate. */
export function applyCounts(
  state: IntersectionState,
  intersection: Intersection,
  approach: Approach,
  counts: CameraCounts,
  cfg: ControlConfig,
): void {
  const prev = state.approaches.get(approach) ?? emptyApproachEstimate;
  const cap = approachCapacityVehPerH(intersection, approach, cfg.estimator);
  state.approaches.set(approach, updateApproach(prev, counts, cap, cfg.estimator));
}

/**
 * Reads a signal's fault codes: a code naming a camera or detector, with an approach letter
 * after a separator (`camera_N`, `detector:E`), marks that approach faulty; without a letter, all.
 */
export function applyFaults(
  state: IntersectionState,
  intersection: Intersection,
  faults: readonly string[],
  cfg: ControlConfig,
): void {
  const faulty = new Set<Approach>();
  for (const f of faults) {
    const lower = f.toLowerCase();
    if (!cfg.cameraFaultPatterns.some((p) => lower.includes(p.toLowerCase()))) continue;
    const m = /[^a-z]([nesw])$/i.exec(f);
    const dir = m?.[1]?.toUpperCase() as Approach | undefined;
    if (dir && intersection.approaches.some((a) => a.dir === dir)) faulty.add(dir);
    else for (const a of intersection.approaches) faulty.add(a.dir);
  }
  state.faultyApproaches = faulty;
}
