import type { Approach, Intersection } from '../../protocol/index.ts';
import { type ApproachEstimate, emptyApproachEstimate, isFresh } from './approach-estimate.ts';
import type { EstimatorConfig } from './estimator-config.ts';

export type DemandSource = 'measured' | 'imputed' | 'prior';

/** Demand at one lane group, what the controllers time against. */
export interface LaneGroupDemand {
  readonly id: string;
  readonly approach: Approach;
  readonly flowVehPerH: number;
  readonly queueVeh: number;
  readonly saturationVehPerH: number;
  readonly source: DemandSource;
}

export interface IntersectionDemand {
  readonly laneGroups: readonly LaneGroupDemand[];
  /** Approaches with fresh counts, and those whose demand had to be imputed. */
  readonly freshApproaches: number;
  readonly totalApproaches: number;
  readonly imputed: readonly Approach[];
}

const opposite: Record<Approach, Approach> = { N: 'S', S: 'N', E: 'W', W: 'E' };

/** Saturation flow of an approach (all its lane groups), veh/h: the ceiling for plausible counts. */
export function approachCapacityVehPerH(
  intersection: Intersection,
  approach: Approach,
  cfg: EstimatorConfig,
): number {
  let c = 0;
  for (const g of intersection.laneGroups) {
    if (g.approach === approach)
      c += g.lanes * (g.saturationFlowVehPerHLane ?? cfg.saturationFlowVehPerHLane);
  }
  return c;
}

/**
 * Turns per-approach estimates into lane-group demand. A camera that is silent, stale or faulty
 * is replaced, in order of trust, by the opposite approach (same phase, similar demand, scaled by
 * lanes), by its own last known flow, or by a per-lane prior; each lane group says which was used.
 * Approach flow is split over lane groups by turning shares renormalised over the turns present.
 */
export function estimateDemand(
  intersection: Intersection,
  approaches: ReadonlyMap<Approach, ApproachEstimate>,
  nowMs: number,
  cfg: EstimatorConfig,
  speed: 'fast' | 'slow' = 'fast',
  faulty: ReadonlySet<Approach> = noFaults,
): IntersectionDemand {
  const lanes = approachLanes(intersection);
  const fresh = (a: Approach) => {
    const e = approaches.get(a);
    return !faulty.has(a) && e !== undefined && flowOf(e, speed) !== null && isFresh(e, nowMs, cfg);
  };
  const perApproach = new Map<Approach, { flow: number; queue: number; source: DemandSource }>();
  const imputed: Approach[] = [];
  let freshCount = 0;
  for (const { dir } of intersection.approaches) {
    const own = approaches.get(dir) ?? emptyApproachEstimate;
    if (fresh(dir)) {
      freshCount++;
      perApproach.set(dir, {
        flow: flowOf(own, speed) ?? 0,
        queue: own.residualQueueVeh,
        source: 'measured',
      });
      continue;
    }
    imputed.push(dir);
    const opp = opposite[dir];
    const ratio = (lanes.get(dir) ?? 1) / (lanes.get(opp) ?? 1);
    const oppEst = approaches.get(opp);
    if (lanes.has(opp) && oppEst && fresh(opp)) {
      perApproach.set(dir, {
        flow: (flowOf(oppEst, speed) ?? 0) * ratio,
        queue: oppEst.residualQueueVeh * ratio,
        source: 'imputed',
      });
    } else if (flowOf(own, speed) !== null) {
      perApproach.set(dir, { flow: flowOf(own, speed) ?? 0, queue: 0, source: 'imputed' });
    } else {
      perApproach.set(dir, { flow: (lanes.get(dir) ?? 1) * cfg.priorVehPerHLane, queue: 0, source: 'prior' });
    }
  }
  const shares = turnShares(intersection, cfg);
  const laneGroups = intersection.laneGroups.map((g) => {
    const a = perApproach.get(g.approach) ?? { flow: 0, queue: 0, source: 'prior' as const };
    const share = shares.get(g.id) ?? 0;
    return {
      id: g.id,
      approach: g.approach,
      flowVehPerH: a.flow * share,
      queueVeh: a.queue * share,
      saturationVehPerH: g.lanes * (g.saturationFlowVehPerHLane ?? cfg.saturationFlowVehPerHLane),
      source: a.source,
    };
  });
  return {
    laneGroups,
    freshApproaches: freshCount,
    totalApproaches: intersection.approaches.length,
    imputed,
  };
}

const noFaults: ReadonlySet<Approach> = new Set();
const lanesCache = new WeakMap<Intersection, ReadonlyMap<Approach, number>>();

/** Lanes per approach, derived once per intersection (estimation runs at every decision). */
function approachLanes(intersection: Intersection): ReadonlyMap<Approach, number> {
  let lanes = lanesCache.get(intersection);
  if (!lanes) {
    lanes = new Map(intersection.approaches.map((a) => [a.dir, a.lanes]));
    lanesCache.set(intersection, lanes);
  }
  return lanes;
}

function flowOf(e: ApproachEstimate, speed: 'fast' | 'slow'): number | null {
  return speed === 'fast' ? e.flowVehPerH : e.slowFlowVehPerH;
}

const shareCache = new WeakMap<
  Intersection,
  { shares: EstimatorConfig['turnShares']; out: Map<string, number> }
>();

/** Each lane group's share of its approach's flow, from the turns its movements make. */
function turnShares(intersection: Intersection, cfg: EstimatorConfig): Map<string, number> {
  const hit = shareCache.get(intersection);
  if (hit && hit.shares === cfg.turnShares) return hit.out;
  const perApproachTotal = new Map<Approach, number>();
  for (const m of intersection.movements) {
    perApproachTotal.set(m.approach, (perApproachTotal.get(m.approach) ?? 0) + cfg.turnShares[m.turn]);
  }
  const out = new Map<string, number>();
  for (const m of intersection.movements) {
    const total = perApproachTotal.get(m.approach) ?? 0;
    const share = total > 0 ? cfg.turnShares[m.turn] / total : 0;
    out.set(m.laneGroup, (out.get(m.laneGroup) ?? 0) + share);
  }
  shareCache.set(intersection, { shares: cfg.turnShares, out });
  return out;
}
