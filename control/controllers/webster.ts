import type { SignalPlan } from '../../protocol/index.ts';
import type { IntersectionDemand } from '../estimation/estimate-demand.ts';
import { buildPlan, offsetStartingAt, phaseLostTimeS } from './build-plan.ts';
import type { ControllerConfig } from './controller-config.ts';
import { criticalRatios, type PhaseTiming } from './phase-timing.ts';

export interface WebsterResult {
  /** Optimum cycle, s, rounded up to whole seconds and bounded. */
  readonly cycleS: number;
  /** Effective green per phase, s: (C - L) split by flow ratio. */
  readonly effectiveGreensS: readonly number[];
  readonly Y: number;
  readonly lostTimeS: number;
}

/**
 * Webster (1958): C0 = (1.5 L + 5) / (1 - Y), effective greens g_i = (C0 - L) y_i / Y.
 * Y at or above `maxY` (the formula diverges as Y -> 1) runs the maximum cycle.
 */
export function webster(
  flowRatios: readonly number[],
  lostTimeS: number,
  bounds: { cycleMinS: number; cycleMaxS: number; maxY: number },
): WebsterResult {
  const Y = flowRatios.reduce((s, y) => s + y, 0);
  const raw = Y >= bounds.maxY ? bounds.cycleMaxS : (1.5 * lostTimeS + 5) / (1 - Y);
  const cycleS = Math.min(bounds.cycleMaxS, Math.max(bounds.cycleMinS, Math.ceil(raw - 1e-9)));
  const effective = cycleS - lostTimeS;
  const effectiveGreensS = flowRatios.map((y) =>
    Y > 0 ? (effective * y) / Y : effective / flowRatios.length,
  );
  return { cycleS, effectiveGreensS, Y, lostTimeS };
}

/**
 * Webster control: recomputed from the slow flow average every `recomputeEveryS`; between
 * recomputations the previous Webster plan is kept (re-stamped), as a time-of-day optimiser would.
 */
export function websterPlan(
  timings: readonly PhaseTiming[],
  slowDemand: IntersectionDemand,
  previous: SignalPlan | null,
  nowMs: number,
  cfg: ControllerConfig,
  planSince: number | null,
): SignalPlan {
  if (
    previous?.source === 'webster' &&
    planSince !== null &&
    nowMs - planSince < cfg.webster.recomputeEveryS * 1000
  ) {
    return { ...previous, ts: nowMs, offsetS: offsetStartingAt(nowMs, previous.cycleS) };
  }
  const flows = new Map(slowDemand.laneGroups.map((g) => [g.id, g.flowVehPerH]));
  const y = criticalRatios(timings, slowDemand, (id) => flows.get(id) ?? 0);
  const lost = timings.reduce((s, t) => s + phaseLostTimeS(t, cfg), 0);
  const w = webster(y, lost, { cycleMinS: cfg.cycleMinS, cycleMaxS: cfg.cycleMaxS, maxY: cfg.webster.maxY });
  return buildPlan({
    timings,
    cycleS: w.cycleS,
    weights: w.effectiveGreensS,
    source: 'webster',
    ts: nowMs,
    planId: `webster-${w.cycleS}`,
    offsetS: offsetStartingAt(nowMs, w.cycleS),
  });
}
