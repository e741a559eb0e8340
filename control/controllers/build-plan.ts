import type { PlanPhase, PlanSource, SignalPlan } from '../../protocol/index.ts';
import { fitSum } from '../envelope/enforce-envelope.ts';
import type { ControllerConfig } from './controller-config.ts';
import type { PhaseTiming } from './phase-timing.ts';

/** Lost time of one phase: start-up loss plus the clearance vehicles do not use (HCM). */
export function phaseLostTimeS(t: PhaseTiming, cfg: ControllerConfig): number {
  return cfg.startupLostS + Math.max(0, t.yellowS - cfg.yellowUsedS) + t.allRedS;
}

/**
 * Turns a cycle and per-phase weights into a plan: green time beyond the minimums is shared in
 * proportion to the weights, every phase keeps its minimum green, and the greens add up to the
 * cycle exactly (in 0.1 s). `weights` all zero: equal shares.
 */
export function buildPlan(opts: {
  timings: readonly PhaseTiming[];
  cycleS: number;
  weights: readonly number[];
  source: PlanSource;
  ts: number;
  planId: string;
  offsetS?: number;
  /** Actuated: per-phase maxima and the gap. */
  actuated?: { maxGreenS: readonly number[]; gapS: number };
}): SignalPlan {
  const { timings } = opts;
  const clearance = timings.reduce((s, t) => s + ds(t.yellowS) + ds(t.allRedS), 0);
  const mins = timings.map((t) => Math.ceil(t.minGreenS * 10 - 1e-9));
  const minCycle = clearance + mins.reduce((s, m) => s + m, 0);
  const cycle = Math.max(ds(opts.cycleS), minCycle);
  const available = cycle - clearance;
  const wsum = opts.weights.reduce((s, w) => s + Math.max(0, w), 0);
  const ideal = timings.map((_, i) =>
    wsum > 0 ? (available * Math.max(0, opts.weights[i] ?? 0)) / wsum : available / timings.length,
  );
  // Greens below their minimum are raised; the excess comes from the others in proportion to their slack.
  const start = ideal.map((g, i) => Math.max(mins[i] as number, Math.round(g)));
  const fitted =
    fitSum(
      start,
      mins.map((m) => ({ lo: m, hi: available })),
      available,
      available,
    ) ?? start;
  const phases: PlanPhase[] = timings.map((t, i) => {
    const p: PlanPhase = {
      id: t.id,
      movements: [...t.movements],
      greenS: (fitted[i] as number) / 10,
      yellowS: t.yellowS,
      allRedS: t.allRedS,
    };
    if (t.walkS !== undefined) p.walkS = t.walkS;
    if (opts.actuated) {
      p.minGreenS = t.minGreenS;
      p.maxGreenS = Math.max(p.greenS, opts.actuated.maxGreenS[i] ?? p.greenS);
    }
    return p;
  });
  const cycleS = phases.reduce((s, p) => s + ds(p.greenS) + ds(p.yellowS) + ds(p.allRedS), 0) / 10;
  const plan: SignalPlan = {
    ts: opts.ts,
    planId: opts.planId,
    source: opts.source,
    cycleS,
    offsetS: (((opts.offsetS ?? 0) % cycleS) + cycleS) % cycleS,
    phases,
  };
  if (opts.actuated) plan.gapS = opts.actuated.gapS;
  return plan;
}

/** Offset that makes a plan's cycle start exactly at `atMs` (protocol: offset against the city clock). */
export function offsetStartingAt(atMs: number, cycleS: number): number {
  const s = (atMs / 1000) % cycleS;
  return Math.round(s * 10) / 10 >= cycleS ? 0 : Math.round(s * 10) / 10;
}

function ds(s: number): number {
  return Math.round(s * 10);
}
