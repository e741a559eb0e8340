import { z } from 'zod';
import { EpochMs } from './ids.ts';

/**
 * One phase of a timing plan: the movements that get green together, and its timings.
 * `movements` are movement ids of the intersection (see network.ts); the receiving controller
 * checks them against its own conflict matrix before it runs the plan.
 */
export const PlanPhase = z
  .object({
    id: z.string().min(1).max(64),
    movements: z.array(z.string().min(1).max(64)).min(1).max(32),
    greenS: z.number().min(0).max(300),
    yellowS: z.number().min(0).max(10),
    allRedS: z.number().min(0).max(10),
    /** For actuated plans: the controller may end green between min and max on a gap. */
    minGreenS: z.number().min(0).max(300).optional(),
    maxGreenS: z.number().min(0).max(300).optional(),
    /** Pedestrian walk time served with this phase, if any. */
    walkS: z.number().min(0).max(120).optional(),
  })
  .strict();
export type PlanPhase = z.infer<typeof PlanPhase>;

export const PlanSource = z.enum(['fixed', 'webster', 'actuated', 'adaptive', 'operator']);
export type PlanSource = z.infer<typeof PlanSource>;

/**
 * A timing plan sent TO a signal controller. Topic: city/traffic/signals/{intersectionId}/plan,
 * QoS 1. Only the control service and operators (service accounts with the `plan` right) may
 * publish it. The controller starts it at its next cycle boundary.
 */
export const SignalPlan = z
  .object({
    ts: EpochMs,
    planId: z.string().min(1).max(128),
    source: PlanSource,
    /** Cycle length in seconds; equals the sum of the phases' green + yellow + all-red. */
    cycleS: z.number().positive().max(600),
    /** Offset of the cycle start against the city clock (ms epoch modulo the cycle), seconds. */
    offsetS: z.number().min(0).max(600),
    phases: z.array(PlanPhase).min(1).max(16),
    /** Flashing yellow instead of a cycle (operator override); phases are then ignored. */
    flash: z.boolean().optional(),
    /** After this instant the controller returns to its stored plan (operator overrides). */
    expiresAt: EpochMs.optional(),
    /** Gap for actuated plans: green ends when no vehicle arrived for this long, seconds. */
    gapS: z.number().min(0.5).max(10).optional(),
  })
  .strict();
export type SignalPlan = z.infer<typeof SignalPlan>;
