import { z } from 'zod';

/** How counts become flow, queue and freshness estimates. */
export const EstimatorConfig = z
  .object({
    /** Time constant of the fast flow average (adaptive control), s. */
    fastTauS: z.number().positive().max(3600).default(90),
    /** Time constant of the slow flow average (Webster's periodic recomputation), s. */
    slowTauS: z.number().positive().max(7200).default(600),
    /**
     * What `intensity` counts: vehicles passing the stop line (`departures`, demand = count + queue
     * growth) or vehicles arriving upstream of the queue (`arrivals`).
     */
    countsAre: z.enum(['arrivals', 'departures']).default('departures'),
    /** Window over which the residual (overflow) queue is the smallest queue seen, s. */
    residualWindowS: z.number().positive().max(3600).default(120),
    /** A count above this multiple of the approach's saturation flow is a miscounting camera. */
    implausibleFactor: z.number().min(1).max(10).default(1.5),
    /** An approach is stale after this many of its counting intervals without counts. */
    staleAfterIntervals: z.number().int().min(1).max(1000).default(3),
    /** Counting interval assumed before the first count arrives, s. */
    defaultIntervalS: z.number().positive().max(3600).default(5),
    /** Flow assumed per lane when an approach has never reported and nothing better is known, veh/h. */
    priorVehPerHLane: z.number().min(0).max(2000).default(250),
    /** Share of an approach's flow per turn before turning counts exist (renormalised per approach). */
    turnShares: z
      .object({ L: z.number().min(0).max(1), T: z.number().min(0).max(1), R: z.number().min(0).max(1) })
      .strict()
      .default({ L: 0.15, T: 0.7, R: 0.15 }),
    /** Saturation flow when the network does not give one, veh/h per lane. */
    saturationFlowVehPerHLane: z.number().positive().max(3000).default(1800),
  })
  .strict();
export type EstimatorConfig = z.infer<typeof EstimatorConfig>;
export type EstimatorConfigInput = z.input<typeof EstimatorConfig>;
export const defaultEstimatorConfig: EstimatorConfig = Object.freeze(EstimatorConfig.parse({}));
