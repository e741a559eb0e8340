import { z } from 'zod';
import { EntityId, EpochMs } from './ids.ts';

export const SignalMode = z.enum(['fixed', 'adaptive', 'manual', 'flash', 'off']);
export type SignalMode = z.infer<typeof SignalMode>;

/** Which part of a phase the controller is in: its green, its yellow, or the all-red clearance. */
export const SignalInterval = z.enum(['green', 'yellow', 'allRed']);
export type SignalInterval = z.infer<typeof SignalInterval>;

/**
 * Controller state. Topic: city/traffic/signals/{intersectionId}/state, QoS 1.
 * Sent on every phase change and at least every 5 s.
 */
export const SignalState = z
  .object({
    ts: EpochMs,
    /** The plan being executed (a stored plan id, or the id of the last plan received). */
    planId: z.string().min(1).max(128),
    /** Id of the running phase, as named in the plan. */
    phase: z.string().min(1).max(64),
    phaseElapsedS: z.number().min(0).max(86_400),
    mode: SignalMode,
    /** Fault codes; empty when healthy. */
    faults: z.array(z.string().min(1).max(64)).max(32),
    interval: SignalInterval.optional(),
    cycleS: z.number().positive().max(600).optional(),
    /** The last plan this controller refused, and why (its own safety check). */
    lastRejectedPlan: z
      .object({ planId: z.string().max(128), reason: z.string().max(256), ts: EpochMs })
      .strict()
      .optional(),
    /** Where the running plan came from. */
    source: z.enum(['stored', 'fixed', 'webster', 'actuated', 'adaptive', 'operator']).optional(),
    intersectionId: EntityId.optional(),
  })
  .strict();
export type SignalState = z.infer<typeof SignalState>;
