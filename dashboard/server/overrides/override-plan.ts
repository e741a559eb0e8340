import type { Intersection, StoredPlan } from '../../../protocol/network.ts';
import { scheduledPlan } from '../../../protocol/scheduled-plan.ts';
import type { PlanPhase, SignalPlan } from '../../../protocol/signal-plan.ts';
import { MAX_OVERRIDE_MINUTES, type OverrideRequest } from '../../shared/contract.ts';

/**
 * Green asked for the held phase and for the others. The safety envelope then moves each to the
 * nearest safe value: the held phase down to its maximum green, the others up to their minimums
 * (with pedestrian walk and clearance). So a hold never bypasses a rule; it asks for the extremes.
 */
const HOLD_ASK_GREEN_S = 300;
const OTHERS_ASK_GREEN_S = 0;

/** When an override of `minutes` requested at `nowMs` ends: never later than the 60-minute cap. */
export function overrideExpiry(nowMs: number, minutes: number): number {
  return nowMs + Math.round(Math.min(minutes, MAX_OVERRIDE_MINUTES) * 60_000);
}

function cycleOf(phases: readonly PlanPhase[]): number {
  return Math.round(phases.reduce((s, p) => s + p.greenS + p.yellowS + p.allRedS, 0) * 10) / 10;
}

function fromStored(stored: StoredPlan, planId: string, nowMs: number, expiresAt: number): SignalPlan {
  return {
    ts: nowMs,
    planId,
    source: 'operator',
    cycleS: stored.cycleS,
    offsetS: stored.offsetS,
    phases: stored.phases.map((p) => ({ ...p })),
    expiresAt,
  };
}

export type DraftResult =
  | { readonly ok: true; readonly plan: SignalPlan }
  | { readonly ok: false; readonly reasons: string[] };

/**
 * The plan an override asks for, before the safety envelope: a stored plan forced, a phase held
 * (that phase as long as allowed, the others as short as allowed, no actuation), or flashing
 * yellow. Requests that name an unknown plan or phase are refused here with the reason.
 */
export function draftOverridePlan(
  intersection: Intersection,
  req: OverrideRequest,
  nowMs: number,
  expiresAt: number,
  utcOffsetMin: number,
): DraftResult {
  const base = scheduledPlan(intersection, nowMs, utcOffsetMin);
  switch (req.kind) {
    case 'plan': {
      const stored = intersection.plans.find((p) => p.id === req.planId);
      if (req.planId === undefined) return { ok: false, reasons: ['kind plan needs planId'] };
      if (!stored) return { ok: false, reasons: [`unknown plan ${req.planId} at ${intersection.id}`] };
      return { ok: true, plan: fromStored(stored, stored.id, nowMs, expiresAt) };
    }
    case 'hold': {
      if (req.phaseId === undefined) return { ok: false, reasons: ['kind hold needs phaseId'] };
      if (!base.phases.some((p) => p.id === req.phaseId)) {
        return {
          ok: false,
          reasons: [`phase ${req.phaseId} is not in plan ${base.id} at ${intersection.id}`],
        };
      }
      const phases = base.phases.map((p): PlanPhase => {
        const { minGreenS: _min, maxGreenS: _max, ...fixed } = p;
        return { ...fixed, greenS: p.id === req.phaseId ? HOLD_ASK_GREEN_S : OTHERS_ASK_GREEN_S };
      });
      return {
        ok: true,
        plan: {
          ...fromStored(base, `hold-${req.phaseId}`, nowMs, expiresAt),
          phases,
          cycleS: cycleOf(phases),
        },
      };
    }
    case 'flash':
      return { ok: true, plan: { ...fromStored(base, 'flash', nowMs, expiresAt), flash: true } };
    default: {
      const never: never = req.kind;
      return { ok: false, reasons: [`unknown override kind ${String(never)}`] };
    }
  }
}

/**
 * What ends an override: the intersection's scheduled plan with `source: 'operator'` and
 * `expiresAt` = now, which controllers and the control loop read as "override over".
 */
export function releasePlan(intersection: Intersection, nowMs: number, utcOffsetMin: number): SignalPlan {
  const base = scheduledPlan(intersection, nowMs, utcOffsetMin);
  return fromStored(base, base.id, nowMs, nowMs);
}
