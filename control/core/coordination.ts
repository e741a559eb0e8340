import type { CityNetwork, Intersection, SignalPlan } from '../../protocol/index.ts';
import type { Coordination } from '../controllers/adaptive.ts';

/** How a coordinated junction's green follows its parent's along one arterial link. */
interface TreeEdge {
  readonly parent: string;
  /** Free-flow travel time of the link, s; negative when the wave runs against the link. */
  readonly travelS: number;
  /** Phase at the parent that releases the platoon, and phase here that should receive it. */
  readonly parentPhase: string | null;
  readonly ownPhase: string | null;
}

export interface CoordinationGroups {
  readonly groupOf: ReadonlyMap<string, number>;
  readonly edges: ReadonlyMap<string, TreeEdge>;
}

const cache = new WeakMap<CityNetwork, Map<number, CoordinationGroups>>();

/**
 * Groups of junctions joined by arterial links no longer than `withinM`, each with a spanning
 * tree from its most connected junction: along every tree link the downstream junction's
 * through phase is timed to start when the upstream through platoon arrives (a green wave).
 */
export function coordinationGroups(network: CityNetwork, withinM: number): CoordinationGroups {
  const byDistance = cache.get(network) ?? new Map<number, CoordinationGroups>();
  cache.set(network, byDistance);
  const hit = byDistance.get(withinM);
  if (hit) return hit;
  const byId = new Map(network.intersections.map((i) => [i.id, i]));
  const adjacency = new Map<
    string,
    { other: string; forward: boolean; link: (typeof network.links)[number] }[]
  >();
  for (const l of network.links) {
    if (l.roadClass !== 'arterial' || l.from === null || l.to === null || l.lengthM > withinM) continue;
    if (!byId.has(l.from) || !byId.has(l.to)) continue;
    (adjacency.get(l.from) ?? adjacency.set(l.from, []).get(l.from))?.push({
      other: l.to,
      forward: true,
      link: l,
    });
    (adjacency.get(l.to) ?? adjacency.set(l.to, []).get(l.to))?.push({
      other: l.from,
      forward: false,
      link: l,
    });
  }
  const groupOf = new Map<string, number>();
  const edges = new Map<string, TreeEdge>();
  const roots = [...adjacency.keys()].sort(
    (a, b) => (adjacency.get(b)?.length ?? 0) - (adjacency.get(a)?.length ?? 0),
  );
  let group = 0;
  for (const root of roots) {
    if (groupOf.has(root)) continue;
    groupOf.set(root, group);
    const queue = [root];
    while (queue.length > 0) {
      const u = queue.shift() as string;
      // Outbound links first: the wave radiates from the root in the direction of travel.
      const next = [...(adjacency.get(u) ?? [])].sort((a, b) => Number(b.forward) - Number(a.forward));
      for (const { other, forward, link } of next) {
        if (groupOf.has(other)) continue;
        groupOf.set(other, group);
        const travel = link.lengthM / (link.speedLimitKmh / 3.6);
        const up = byId.get(link.from as string) as Intersection;
        const down = byId.get(link.to as string) as Intersection;
        const releasing = phaseOf(up, up.movements.find((m) => m.outLink === link.id && m.turn === 'T')?.id);
        const receiving = phaseOf(
          down,
          down.movements.find((m) => m.approach === link.toApproach && m.turn === 'T')?.id,
        );
        edges.set(
          other,
          forward
            ? { parent: u, travelS: travel, parentPhase: releasing, ownPhase: receiving }
            : { parent: u, travelS: -travel, parentPhase: receiving, ownPhase: releasing },
        );
        queue.push(other);
      }
    }
    group++;
  }
  const out = { groupOf, edges };
  byDistance.set(withinM, out);
  return out;
}

function phaseOf(i: Intersection, movementId: string | undefined): string | null {
  if (!movementId) return null;
  return i.phases.find((p) => p.movements.includes(movementId))?.id ?? null;
}

/** A group's common cycle, remembered between decisions. */
export interface GroupCycles {
  readonly desired: Map<string, number>;
  readonly cycle: Map<number, number>;
}

export function newGroupCycles(): GroupCycles {
  return { desired: new Map(), cycle: new Map() };
}

/**
 * The coordination of one junction: its group's cycle (the largest cycle any member wants,
 * rounded up to 5 s, moved at most `maxStepS` per decision) and the moment its receiving phase
 * should start, from its parent's current plan plus the travel time.
 */
export function coordinationFor(
  id: string,
  desiredCycleS: number,
  groups: CoordinationGroups,
  cycles: GroupCycles,
  lastPlans: (id: string) => SignalPlan | null,
  maxStepS: number,
): Coordination | undefined {
  const g = groups.groupOf.get(id);
  if (g === undefined) return undefined;
  cycles.desired.set(id, desiredCycleS);
  let want = 0;
  for (const [member, c] of cycles.desired) if (groups.groupOf.get(member) === g) want = Math.max(want, c);
  want = Math.ceil(want / 5) * 5;
  const prev = cycles.cycle.get(g);
  const cycleS = prev === undefined ? want : Math.min(prev + maxStepS, Math.max(prev - maxStepS, want));
  cycles.cycle.set(g, cycleS);
  const edge = groups.edges.get(id);
  if (!edge) return { cycleS, offsetS: lastPlans(id)?.offsetS ?? 0 };
  const parent = lastPlans(edge.parent);
  if (!parent || Math.abs(parent.cycleS - cycleS) > 0.05)
    return { cycleS, offsetS: lastPlans(id)?.offsetS ?? 0 };
  let start = 0;
  for (const p of parent.phases) {
    if (p.id === edge.parentPhase) break;
    start += p.greenS + p.yellowS + p.allRedS;
  }
  if (!parent.phases.some((p) => p.id === edge.parentPhase)) start = 0;
  const offsetS = parent.offsetS + start + edge.travelS;
  return edge.ownPhase === null ? { cycleS, offsetS } : { cycleS, offsetS, alignPhase: edge.ownPhase };
}
