import type { Intersection, SignalPlan } from '../../protocol/index.ts';
import { actuatedPlan } from '../controllers/actuated.ts';
import { type AdaptiveContext, adaptivePlan } from '../controllers/adaptive.ts';
import { fixedTimePlan, scheduledPlan } from '../controllers/fixed-time.ts';
import { phaseTimings } from '../controllers/phase-timing.ts';
import { websterPlan } from '../controllers/webster.ts';
import { enforceBuiltPlan } from '../envelope/enforce-envelope.ts';
import { parseEnvelopeConfig } from '../envelope/envelope-config.ts';
import { estimateDemand } from '../estimation/estimate-demand.ts';
import type { ControlConfig, ControllerKind } from './control-config.ts';
import type { IntersectionState } from './intersection-state.ts';

export interface Decision {
  readonly intersectionId: string;
  /** The controller asked for, and the one that actually produced the plan. */
  readonly controller: ControllerKind;
  readonly mode: ControllerKind | 'fallback';
  readonly fallbackReason: string | null;
  /** The plan to send (it passed the envelope), or null when it was refused. */
  readonly plan: SignalPlan | null;
  readonly refused: readonly string[];
  readonly adjustments: readonly string[];
  /** Approaches with fresh counts / all approaches, and those imputed. */
  readonly freshApproaches: number;
  readonly totalApproaches: number;
  readonly imputed: readonly string[];
  /** False while a Webster plan is merely kept until its next recomputation. */
  readonly recomputed: boolean;
}

/**
 * One intersection's decision at a cycle boundary: run its controller on the estimated demand,
 * fall back to the stored fixed-time plan when too few approaches have fresh counts (or their
 * cameras are reported faulty), and pass the result through the safety envelope. Pure apart from
 * reading `state`; the caller records the sent plan with `commitDecision`.
 */
export function decidePlan(
  intersection: Intersection,
  state: IntersectionState,
  controller: ControllerKind,
  nowMs: number,
  cfg: ControlConfig,
  ctx: AdaptiveContext = {},
  /** The cycle boundary the plan starts at (default `nowMs`); freshness is judged at `nowMs`. */
  startsAtMs: number = nowMs,
): Decision {
  const timings = phaseTimings(intersection, cfg.envelope);
  const demand = estimateDemand(
    intersection,
    state.approaches,
    nowMs,
    cfg.estimator,
    'fast',
    state.faultyApproaches,
  );
  const usesCounts = controller === 'webster' || controller === 'adaptive';
  const freshShare = demand.totalApproaches > 0 ? demand.freshApproaches / demand.totalApproaches : 0;
  let fallbackReason: string | null = null;
  if (usesCounts && freshShare < cfg.minFreshShare) {
    const faulty = [...state.faultyApproaches];
    fallbackReason =
      faulty.length > 0 && demand.freshApproaches + faulty.length >= demand.totalApproaches
        ? `camera fault on approach ${faulty.join(', ')}`
        : `counts stale or missing on ${demand.imputed.length} of ${demand.totalApproaches} approaches (${demand.imputed.join(', ')})`;
  }
  const kept =
    controller === 'webster' &&
    fallbackReason === null &&
    state.lastPlan?.source === 'webster' &&
    state.lastComputedMs !== null &&
    startsAtMs - state.lastComputedMs < cfg.controllers.webster.recomputeEveryS * 1000;
  let proposal: SignalPlan;
  if (fallbackReason !== null || controller === 'fixed') {
    proposal = fixedTimePlan(intersection, startsAtMs, cfg.utcOffsetMin);
  } else if (controller === 'webster') {
    const slow = estimateDemand(
      intersection,
      state.approaches,
      nowMs,
      cfg.estimator,
      'slow',
      state.faultyApproaches,
    );
    proposal = websterPlan(timings, slow, state.lastPlan, startsAtMs, cfg.controllers, state.lastComputedMs);
  } else if (controller === 'actuated') {
    proposal = actuatedPlan(
      timings,
      scheduledPlan(intersection, nowMs, cfg.utcOffsetMin),
      nowMs,
      cfg.controllers,
    );
  } else {
    const slack = cfg.controllers.adaptive.storedProgressionSlackS;
    const stored = scheduledPlan(intersection, startsAtMs, cfg.utcOffsetMin);
    // A residual queue means the stored cycle is too short here: run our own cycle instead.
    const backlog = demand.laneGroups.some(
      (g) => g.queueVeh > cfg.controllers.adaptive.progressionMaxResidualVeh,
    );
    const progression =
      slack >= 0 && !ctx.coordinate && !backlog
        ? {
            ...ctx,
            coordinate: (desired: number) =>
              desired <= stored.cycleS + slack
                ? { cycleS: stored.cycleS, offsetS: stored.offsetS }
                : undefined,
          }
        : ctx;
    proposal = adaptivePlan(timings, demand, state.lastPlan, startsAtMs, cfg.controllers, progression);
  }
  // Our own plan from parsed inputs: the rules are checked on the output, the schema pass is spared.
  // (parseEnvelopeConfig: a cached lookup that keeps the cross-field bound checks.)
  const verdict = enforceBuiltPlan(intersection, proposal, state.lastPlan, parseEnvelopeConfig(cfg.envelope));
  return {
    intersectionId: intersection.id,
    controller,
    mode: fallbackReason === null ? controller : 'fallback',
    fallbackReason,
    plan: verdict.ok ? verdict.plan : null,
    refused: verdict.ok ? [] : verdict.reasons,
    adjustments: verdict.ok ? verdict.adjustments : [],
    freshApproaches: demand.freshApproaches,
    totalApproaches: demand.totalApproaches,
    imputed: demand.imputed,
    recomputed: !kept,
  };
}

/** Records a sent plan so the next decision bounds its change against it. */
export function commitDecision(state: IntersectionState, decision: Decision, nowMs: number): void {
  if (!decision.plan) return;
  if (decision.recomputed || state.lastComputedMs === null) state.lastComputedMs = nowMs;
  state.lastPlan = decision.plan;
}
