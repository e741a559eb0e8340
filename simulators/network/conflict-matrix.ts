import type { Approach, Turn } from '../../protocol/index.ts';

export interface MovementGeometry {
  readonly id: string;
  readonly approach: Approach;
  readonly turn: Turn;
}

export interface CrossingGeometry {
  readonly id: string;
  readonly leg: Approach;
}

export interface ConflictMatrix {
  /** Pairs that must never be green together, each once, `[a, b]` with a < b. */
  readonly conflicts: [string, string][];
  /** Pairs whose paths meet but may share a green: `[a, b]`, a gives way to b. */
  readonly yields: [string, string][];
}

type Point = readonly [number, number];

const OPPOSITE: Record<Approach, Approach> = { N: 'S', S: 'N', E: 'W', W: 'E' };
// Traffic drives on the right. Coming from N (heading south) the driver's right is W.
const RIGHT_OF: Record<Approach, Approach> = { N: 'W', E: 'N', S: 'E', W: 'S' };
const LEFT_OF: Record<Approach, Approach> = { N: 'E', E: 'S', S: 'W', W: 'N' };

/** The leg a movement leaves by. */
export function exitLeg(approach: Approach, turn: Turn): Approach {
  if (turn === 'T') return OPPOSITE[approach];
  return turn === 'R' ? RIGHT_OF[approach] : LEFT_OF[approach];
}

export function oppositeOf(approach: Approach): Approach {
  return OPPOSITE[approach];
}

// The junction box is the square [-1, 1]²; north is +y. Each leg carries inbound lanes on the
// right of the arriving driver and outbound lanes on the right of the leaving one.
const IN_POINT: Record<Approach, Point> = { N: [-0.5, 1], E: [1, 0.5], S: [0.5, -1], W: [-1, -0.5] };
const OUT_POINT: Record<Approach, Point> = { N: [0.5, 1], E: [1, -0.5], S: [-0.5, -1], W: [-1, 0.5] };

/** True when two segments cross at a point interior to both (shared end points are merges). */
function segmentsCross(p1: Point, p2: Point, q1: Point, q2: Point): boolean {
  const d = (p2[0] - p1[0]) * (q2[1] - q1[1]) - (p2[1] - p1[1]) * (q2[0] - q1[0]);
  if (Math.abs(d) < 1e-12) return false; // parallel: opposing lefts pass each other, through pairs run side by side
  const t = ((q1[0] - p1[0]) * (q2[1] - q1[1]) - (q1[1] - p1[1]) * (q2[0] - q1[0])) / d;
  const u = ((q1[0] - p1[0]) * (p2[1] - p1[1]) - (q1[1] - p1[1]) * (p2[0] - p1[0])) / d;
  const eps = 1e-9;
  return t > eps && t < 1 - eps && u > eps && u < 1 - eps;
}

function ordered(a: string, b: string): [string, string] {
  return a < b ? [a, b] : [b, a];
}

/**
 * The conflict matrix of a junction, computed from movement geometry alone: two vehicle
 * movements from different approaches conflict when their paths cross or merge into the same
 * leg. A left turn meeting traffic from the opposite approach only gives way (a permitted left),
 * every other meeting is a hard conflict. A pedestrian crossing conflicts with everything
 * entering from its leg and with through traffic leaving by it; turning vehicles leaving by its
 * leg give way to the pedestrians. The result does not depend on the order of the inputs.
 */
export function conflictMatrix(
  movements: readonly MovementGeometry[],
  crossings: readonly CrossingGeometry[],
): ConflictMatrix {
  const conflicts: [string, string][] = [];
  const yields: [string, string][] = [];
  const sorted = [...movements].sort((a, b) => (a.id < b.id ? -1 : 1));
  for (let i = 0; i < sorted.length; i++) {
    const a = sorted[i] as MovementGeometry;
    for (let j = i + 1; j < sorted.length; j++) {
      const b = sorted[j] as MovementGeometry;
      if (a.approach === b.approach) continue; // lanes of one approach diverge, never cross
      const aOut = exitLeg(a.approach, a.turn);
      const bOut = exitLeg(b.approach, b.turn);
      const meet =
        aOut === bOut ||
        segmentsCross(IN_POINT[a.approach], OUT_POINT[aOut], IN_POINT[b.approach], OUT_POINT[bOut]);
      if (!meet) continue;
      const opposed = OPPOSITE[a.approach] === b.approach;
      if (opposed && a.turn === 'L' && b.turn !== 'L') yields.push([a.id, b.id]);
      else if (opposed && b.turn === 'L' && a.turn !== 'L') yields.push([b.id, a.id]);
      else conflicts.push([a.id, b.id]);
    }
  }
  const sortedCrossings = [...crossings].sort((a, b) => (a.id < b.id ? -1 : 1));
  for (const p of sortedCrossings) {
    for (const m of sorted) {
      if (m.approach === p.leg) conflicts.push(ordered(m.id, p.id));
      else if (exitLeg(m.approach, m.turn) === p.leg) {
        if (m.turn === 'T') conflicts.push(ordered(m.id, p.id));
        else yields.push([m.id, p.id]);
      }
    }
  }
  return { conflicts, yields };
}
