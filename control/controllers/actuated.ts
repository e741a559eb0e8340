import type { SignalPlan, StoredPlan } from '../../protocol/index.ts';
import { buildPlan } from './build-plan.ts';
import type { ControllerConfig } from './controller-config.ts';
import type { PhaseTiming } from './phase-timing.ts';

/**
 * Fully actuated control, the field engineers' baseline: each phase's green runs at least its
 * minimum and is extended while vehicles keep arriving; it ends on a gap (no call for `gapS`) or at
 * its maximum. The plan carries min/max greens and the gap; the signal's own detector logic
 * (`actuatedDecision`) runs it second by second. Maxima come from the stored plan's greens.
 */
export function actuatedPlan(
  timings: readonly PhaseTiming[],
  stored: StoredPlan,
  nowMs: number,
  cfg: ControllerConfig,
): SignalPlan {
  const storedGreen = new Map(stored.phases.map((p) => [p.id, p.greenS]));
  const nominal = timings.map((t) => Math.max(t.minGreenS, storedGreen.get(t.id) ?? t.minGreenS));
  const clearance = timings.reduce((s, t) => s + t.yellowS + t.allRedS, 0);
  return buildPlan({
    timings,
    cycleS: nominal.reduce((s, g) => s + g, 0) + clearance,
    weights: nominal,
    source: 'actuated',
    ts: nowMs,
    planId: `actuated-${stored.id}`,
    actuated: { maxGreenS: nominal.map((g) => g * cfg.actuated.maxGreenFactor), gapS: cfg.actuated.gapS },
  });
}

export type ActuatedDecision = 'hold' | 'gap-out' | 'max-out';

/**
 * One second of a phase's actuated green: hold below the minimum; end at the maximum; in between,
 * extend while the last call (vehicle detected on a served approach) is younger than the gap.
 */
export function actuatedDecision(s: {
  elapsedGreenS: number;
  minGreenS: number;
  maxGreenS: number;
  gapS: number;
  secondsSinceCall: number;
}): ActuatedDecision {
  if (s.elapsedGreenS < s.minGreenS) return 'hold';
  if (s.elapsedGreenS >= s.maxGreenS) return 'max-out';
  return s.secondsSinceCall >= s.gapS ? 'gap-out' : 'hold';
}
