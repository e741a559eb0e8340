import { z } from 'zod';

/**
 * Limits of the safety envelope. Defaults follow the sources cited beside each field; a caller
 * may tighten them (or, for a test bench, loosen them) but every field stays bounded so a typo
 * cannot disable a rule.
 */
export const EnvelopeConfig = z
  .object({
    /** Minimum green for a phase serving a through movement (ITE Traffic Signal Timing Manual, table 5-3). */
    minGreenThroughS: z.number().min(4).max(30).default(7),
    /** Minimum green for a phase serving only turns or pedestrians. */
    minGreenOtherS: z.number().min(3).max(30).default(5),
    /** Maximum green of any phase: longer reds breed red-light running. */
    maxGreenS: z.number().min(10).max(300).default(120),
    /** Yellow change interval bounds (ITE: 3-6 s). */
    yellowMinS: z.number().min(3).max(6).default(3),
    yellowMaxS: z.number().min(3).max(6).default(6),
    /** Red clearance bounds (ITE: 1-3 s; never zero, so the box always clears). */
    allRedMinS: z.number().min(1).max(3).default(1),
    allRedMaxS: z.number().min(1).max(3).default(3),
    /** ITE kinematic formula inputs: perception-reaction time, deceleration, vehicle length. */
    perceptionReactionS: z.number().min(0.5).max(2).default(1),
    decelerationMps2: z.number().min(2).max(4.5).default(3.05),
    vehicleLengthM: z.number().min(3).max(25).default(6),
    /** Pedestrian walking speed for the clearance time (brief: 1.0 m/s; MUTCD 4E.06 uses 1.07). */
    pedWalkSpeedMps: z.number().min(0.5).max(1.5).default(1),
    /** WALK interval minimum (MUTCD 2009 §4E.06: at least 7 s). */
    pedWalkMinS: z.number().min(4).max(30).default(7),
    /** Cycle bounds: shorter cycles lose too much to clearance, longer ones strand drivers. */
    cycleMinS: z.number().min(20).max(200).default(40),
    cycleMaxS: z.number().min(30).max(300).default(150),
    /** Largest change of cycle and of one phase's green between consecutive plans. */
    maxCycleChangeS: z.number().min(1).max(300).default(30),
    maxGreenChangeS: z.number().min(1).max(300).default(25),
    /** A plan that never serves some vehicle movement strands its drivers: refuse it. */
    requireAllVehicleMovements: z.boolean().default(true),
  })
  .strict();
export type EnvelopeConfig = z.infer<typeof EnvelopeConfig>;
export type EnvelopeConfigInput = z.input<typeof EnvelopeConfig>;

export const defaultEnvelopeConfig: EnvelopeConfig = Object.freeze(EnvelopeConfig.parse({}));

// The envelope runs for every plan of every tick: a config object is parsed once, then reused.
const parsed = new WeakMap<object, EnvelopeConfig>();

/** Parses a partial config over the defaults; cross-field bounds are checked here once. */
export function parseEnvelopeConfig(input: EnvelopeConfigInput | undefined): EnvelopeConfig {
  if (input === undefined) return defaultEnvelopeConfig;
  const hit = parsed.get(input);
  if (hit) return hit;
  const cfg = EnvelopeConfig.parse(input);
  if (cfg.yellowMinS > cfg.yellowMaxS) throw new Error('envelope: yellowMinS > yellowMaxS');
  if (cfg.allRedMinS > cfg.allRedMaxS) throw new Error('envelope: allRedMinS > allRedMaxS');
  if (cfg.cycleMinS > cfg.cycleMaxS) throw new Error('envelope: cycleMinS > cycleMaxS');
  const frozen = Object.freeze(cfg);
  parsed.set(input, frozen);
  parsed.set(frozen, frozen);
  return frozen;
}
