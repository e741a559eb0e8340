import type { Intersection } from '../../protocol/index.ts';
import type { IntersectionDemand } from '../estimation/estimate-demand.ts';

/** Lane-group demand written by hand: flows (veh/h) and queues (veh) by lane group id. */
export function handDemand(
  intersection: Intersection,
  flows: Record<string, number>,
  queues: Record<string, number> = {},
): IntersectionDemand {
  return {
    laneGroups: intersection.laneGroups.map((g) => ({
      id: g.id,
      approach: g.approach,
      flowVehPerH: flows[g.id] ?? 0,
      queueVeh: queues[g.id] ?? 0,
      saturationVehPerH: g.lanes * 1800,
      source: 'measured' as const,
    })),
    freshApproaches: intersection.approaches.length,
    totalApproaches: intersection.approaches.length,
    imputed: [],
  };
}
