import type { Intersection } from '../../protocol/index.ts';
import { pedMinGreenS, phaseRequirement } from '../envelope/clearance.ts';
import type { EnvelopeConfig } from '../envelope/envelope-config.ts';
import { indexIntersection } from '../envelope/intersection-index.ts';
import type { IntersectionDemand } from '../estimation/estimate-demand.ts';

/** The fixed part of each phase: clearance and minimum green from the envelope's own rules. */
export interface PhaseTiming {
  readonly id: string;
  readonly movements: readonly string[];
  readonly laneGroups: readonly string[];
  readonly yellowS: number;
  readonly allRedS: number;
  readonly minGreenS: number;
  readonly walkS: number | undefined;
}

const cache = new WeakMap<Intersection, { cfg: EnvelopeConfig; timings: PhaseTiming[] }>();

/** The network's phases with the clearance intervals and minimum greens the envelope will demand. */
export function phaseTimings(intersection: Intersection, cfg: EnvelopeConfig): readonly PhaseTiming[] {
  const hit = cache.get(intersection);
  if (hit && hit.cfg === cfg) return hit.timings;
  const index = indexIntersection(intersection);
  const timings = intersection.phases.map((p) => {
    const req = phaseRequirement(p.movements, index, intersection.widthM, cfg);
    const walkS = req.pedLengthM > 0 ? cfg.pedWalkMinS : undefined;
    const ped = walkS === undefined ? 0 : pedMinGreenS(req.pedLengthM, walkS, req.yellowS + req.allRedS, cfg);
    const laneGroups = new Set<string>();
    for (const id of p.movements) {
      const m = index.movements.get(id);
      if (m?.kind === 'vehicle') laneGroups.add(m.movement.laneGroup);
    }
    return {
      id: p.id,
      movements: p.movements,
      laneGroups: [...laneGroups],
      yellowS: req.yellowS,
      allRedS: req.allRedS,
      minGreenS: Math.max(req.minGreenS, ped),
      walkS,
    };
  });
  cache.set(intersection, { cfg, timings });
  return timings;
}

/**
 * Critical flow ratio y of each phase: the largest q/s among the lane groups it serves. A lane
 * group served by several phases shares its demand among them.
 */
export function criticalRatios(
  timings: readonly PhaseTiming[],
  demand: IntersectionDemand,
  flowOf: (id: string) => number = (id) => demand.laneGroups.find((g) => g.id === id)?.flowVehPerH ?? 0,
): number[] {
  const servedBy = new Map<string, number>();
  for (const t of timings) for (const g of t.laneGroups) servedBy.set(g, (servedBy.get(g) ?? 0) + 1);
  const sat = new Map(demand.laneGroups.map((g) => [g.id, g.saturationVehPerH]));
  return timings.map((t) => {
    let y = 0;
    for (const g of t.laneGroups) {
      const s = sat.get(g) ?? 0;
      if (s > 0) y = Math.max(y, flowOf(g) / s / (servedBy.get(g) ?? 1));
    }
    return y;
  });
}
