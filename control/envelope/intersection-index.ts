import type {
  Approach,
  Intersection,
  LaneGroup,
  PedestrianCrossing,
  VehicleMovement,
} from '../../protocol/index.ts';

export type IndexedMovement =
  | { readonly kind: 'vehicle'; readonly movement: VehicleMovement; readonly speedKmh: number }
  | { readonly kind: 'pedestrian'; readonly crossing: PedestrianCrossing };

/** Lookups derived once per intersection object: the envelope runs for every plan of every tick. */
export interface IntersectionIndex {
  readonly movements: ReadonlyMap<string, IndexedMovement>;
  readonly vehicleMovementIds: readonly string[];
  readonly laneGroups: ReadonlyMap<string, LaneGroup>;
  readonly approachSpeedKmh: ReadonlyMap<Approach, number>;
  conflicts(a: string, b: string): boolean;
}

const cache = new WeakMap<Intersection, IntersectionIndex>();

export function indexIntersection(intersection: Intersection): IntersectionIndex {
  const hit = cache.get(intersection);
  if (hit) return hit;
  const approachSpeedKmh = new Map<Approach, number>();
  for (const a of intersection.approaches) approachSpeedKmh.set(a.dir, a.speedLimitKmh);
  const movements = new Map<string, IndexedMovement>();
  for (const m of intersection.movements) {
    movements.set(m.id, { kind: 'vehicle', movement: m, speedKmh: approachSpeedKmh.get(m.approach) ?? 50 });
  }
  for (const p of intersection.pedestrianCrossings) movements.set(p.id, { kind: 'pedestrian', crossing: p });
  const pairs = new Set<string>();
  for (const [a, b] of intersection.conflicts) {
    pairs.add(`${a}\u0000${b}`);
    pairs.add(`${b}\u0000${a}`);
  }
  const index: IntersectionIndex = {
    movements,
    vehicleMovementIds: intersection.movements.map((m) => m.id),
    laneGroups: new Map(intersection.laneGroups.map((g) => [g.id, g])),
    approachSpeedKmh,
    conflicts: (a, b) => pairs.has(`${a}\u0000${b}`),
  };
  cache.set(intersection, index);
  return index;
}
