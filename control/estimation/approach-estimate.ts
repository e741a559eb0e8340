import type { CameraCounts } from '../../protocol/index.ts';
import type { EstimatorConfig } from './estimator-config.ts';

/** What we believe about one approach, from its camera's counts. Immutable: updates return a new one. */
export interface ApproachEstimate {
  /** Arrival flow, fast average (veh/h); null until the first plausible count. */
  readonly flowVehPerH: number | null;
  /** Arrival flow, slow average (veh/h). */
  readonly slowFlowVehPerH: number | null;
  /** Vehicles queued at the stop line at the last count (0 when the camera does not report queues). */
  readonly queueVeh: number;
  /**
   * Residual queue: the smallest queue seen over the last `residualWindowS`. A queue sampled at
   * an arbitrary moment includes the ordinary red-time queue; what is still there right after
   * the green is the overflow that deserves extra green.
   */
  readonly residualQueueVeh: number;
  readonly recentQueues: readonly number[];
  readonly occupancy: number | null;
  /** End of the last accepted counting interval, ms epoch. */
  readonly lastTs: number | null;
  readonly intervalS: number;
  readonly accepted: number;
  /** Counts dropped as implausible (more vehicles than the approach can carry) or out of order. */
  readonly dropped: number;
}

export const emptyApproachEstimate: ApproachEstimate = Object.freeze({
  flowVehPerH: null,
  slowFlowVehPerH: null,
  queueVeh: 0,
  residualQueueVeh: 0,
  recentQueues: [],
  occupancy: null,
  lastTs: null,
  intervalS: 0,
  accepted: 0,
  dropped: 0,
});

/**
 * Folds one interval's counts into the estimate. Noise is smoothed by two exponential averages
 * whose weights follow the interval length (so irregular intervals weigh correctly); counts that
 * exceed what the approach could physically carry, or that arrive out of order, are dropped and
 * counted instead of poisoning the average.
 */
export function updateApproach(
  prev: ApproachEstimate,
  counts: CameraCounts,
  capacityVehPerH: number,
  cfg: EstimatorConfig,
): ApproachEstimate {
  if (prev.lastTs !== null && counts.ts <= prev.lastTs) return { ...prev, dropped: prev.dropped + 1 };
  const rate = (counts.intensity * 3600) / counts.intervalS;
  if (rate > capacityVehPerH * cfg.implausibleFactor) return { ...prev, dropped: prev.dropped + 1 };
  // Demand, not discharge: a stop-line count under a growing queue understates arrivals.
  let arrivals = counts.intensity;
  if (cfg.countsAre === 'departures' && counts.queueLength !== undefined) {
    arrivals = Math.max(0, counts.intensity + counts.queueLength - prev.queueVeh);
  }
  const sample = (arrivals * 3600) / counts.intervalS;
  const fast = ewma(prev.flowVehPerH, sample, counts.intervalS, cfg.fastTauS);
  const slow = ewma(prev.slowFlowVehPerH, sample, counts.intervalS, cfg.slowTauS);
  const queue = counts.queueLength ?? prev.queueVeh;
  const keep = Math.max(1, Math.ceil(cfg.residualWindowS / counts.intervalS));
  const recentQueues = [...prev.recentQueues.slice(-(keep - 1)), queue];
  return {
    flowVehPerH: fast,
    slowFlowVehPerH: slow,
    queueVeh: queue,
    residualQueueVeh: Math.min(...recentQueues),
    recentQueues,
    occupancy: counts.occupancy ?? prev.occupancy,
    lastTs: counts.ts,
    intervalS: counts.intervalS,
    accepted: prev.accepted + 1,
    dropped: prev.dropped,
  };
}

/** How many of its own counting intervals have passed since the approach last reported. */
export function intervalsSince(est: ApproachEstimate, nowMs: number, cfg: EstimatorConfig): number {
  if (est.lastTs === null) return Number.POSITIVE_INFINITY;
  const interval = est.intervalS > 0 ? est.intervalS : cfg.defaultIntervalS;
  return Math.max(0, (nowMs - est.lastTs) / 1000 / interval);
}

export function isFresh(est: ApproachEstimate, nowMs: number, cfg: EstimatorConfig): boolean {
  return intervalsSince(est, nowMs, cfg) <= cfg.staleAfterIntervals;
}

function ewma(prev: number | null, sample: number, dtS: number, tauS: number): number {
  if (prev === null) return sample;
  const a = 1 - Math.exp(-dtS / tauS);
  return prev + a * (sample - prev);
}
