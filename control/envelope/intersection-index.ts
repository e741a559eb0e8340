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
  /** Memo for per-phase results keyed by the phase's movement list (the envelope's hot path). */
  readonly memo: Map<string, unknown>;
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
  // Conflicts as a bit matrix over movement numbers: the envelope checks every pair of every phase.
  const number = new Map<string, number>();
  for (const id of movements.keys()) number.set(id, number.size);
  const size = number.size;
  const matrix = new Uint8Array(size * size);
  for (const [a, b] of intersection.conflicts) {
    const i = number.get(a);
    const j = number.get(b);
    if (i === undefined || j === undefined) continue;
    matrix[i * size + j] = 1;
    matrix[j * size + i] = 1;
  }
  const index: IntersectionIndex = {
    movements,
    vehicleMovementIds: intersection.movements.map((m) => m.id),
    laneGroups: new Map(intersection.laneGroups.map((g) => [g.id, g])),
    approachSpeedKmh,
    conflicts: (a, b) => {
      const i = number.get(a);
      const j = number.get(b);
      return i !== undefined && j !== undefined && matrix[i * size + j] === 1;
    },
    memo: new Map(),
  };
  cache.set(intersection, index);
  return index;
}
