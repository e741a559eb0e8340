import { z } from 'zod';

/** Tuning of the four controllers. Safety limits are not here: they belong to the envelope. */
export const ControllerConfig = z
  .object({
    /** Start-up lost time per phase, s (HCM default 2 s). */
    startupLostS: z.number().min(0).max(5).default(2),
    /** Part of the yellow that vehicles still use (HCM extension of effective green, 2 s). */
    yellowUsedS: z.number().min(0).max(5).default(2),
    /** Shortest and longest cycle a controller proposes (inside the envelope's band). */
    cycleMinS: z.number().min(20).max(300).default(40),
    cycleMaxS: z.number().min(20).max(300).default(150),
    webster: z
      .object({
        /** Webster's plan is recomputed from the slow flow average this often, s. */
        recomputeEveryS: z.number().min(0).max(86_400).default(900),
        /** Flow-ratio sum at which Webster's formula gives up and runs the maximum cycle. */
        maxY: z.number().min(0.5).max(0.99).default(0.92),
      })
      .strict()
      .prefault({}),
    actuated: z
      .object({
        gapS: z.number().min(0.5).max(10).default(3),
        /** Maximum green = this factor times the stored plan's green (field practice 1.25-1.5). */
        maxGreenFactor: z.number().min(1).max(4).default(1.5),
      })
      .strict()
      .prefault({}),
    adaptive: z
      .object({
        /** Degree of saturation the splits aim for. */
        targetDegree: z.number().min(0.5).max(1).default(0.9),
        /** Largest cycle change from one cycle to the next, s. */
        maxCycleStepS: z.number().min(1).max(60).default(15),
        /** A standing queue is planned to clear over this horizon, s (backlog as extra demand). */
        backlogHorizonS: z.number().min(30).max(3600).default(180),
        /** Downstream link fullness above which a movement's demand is discounted (spillback). */
        spillbackFrom: z.number().min(0).max(1).default(0.8),
        /** Cycle candidates searched for the least estimated delay, step s. */
        cycleSearchStepS: z.number().min(1).max(30).default(5),
        /**
         * Let the signal end a green early on a detector gap (the planned green, times this
         * factor, is then the phase's maximum); 0 sends a plain fixed-split plan.
         */
        gapOutMaxFactor: z.number().min(0).max(2).default(1.3),
        gapS: z.number().min(0.5).max(10).default(2.5),
        /**
         * Keep the stored plan's cycle and offset (the progression engineers tuned) while the
         * cycle this junction wants exceeds it by no more than this many seconds; adapt splits
         * only. Negative: always run the junction's own cycle.
         */
        storedProgressionSlackS: z.number().min(-1).max(120).default(15),
        /** ...and while no lane group has more residual queue than this, veh. */
        progressionMaxResidualVeh: z.number().min(0).max(1000).default(3),
        /** Keep gap-out at coordinated junctions (the next boundary re-aligns the offset). */
        gapOutWhenCoordinated: z.boolean().default(true),
        /** Longest cycle the adaptive controller proposes (short grid links spill back beyond it). */
        cycleMaxS: z.number().min(40).max(300).default(150),
      })
      .strict()
      .prefault({}),
  })
  .strict();
export type ControllerConfig = z.infer<typeof ControllerConfig>;
export type ControllerConfigInput = z.input<typeof ControllerConfig>;
export const defaultControllerConfig: ControllerConfig = Object.freeze(ControllerConfig.parse({}));
