import type {
  Approach,
  Intersection,
  LaneGroup,
  LonLat,
  PedestrianCrossing,
  PhaseDef,
  Turn,
  VehicleMovement,
} from '../../protocol/index.ts';
import { conflictMatrix, exitLeg, oppositeOf } from './conflict-matrix.ts';
import { criticalFlowRatio, PERIODS, type PhaseDemand, planSchedule, websterPlan } from './signal-plans.ts';

/** One leg of a junction as the grid lays it out: the link arriving from that side and the one leaving. */
export interface Leg {
  readonly dir: Approach;
  readonly inLink: string;
  readonly outLink: string;
  readonly roadClass: 'arterial' | 'side';
  readonly lanes: number;
  readonly speedLimitKmh: number;
}

export interface IntersectionSpec {
  readonly id: string;
  readonly name: string;
  readonly position: LonLat;
  readonly legs: readonly Leg[];
  /** How busy this junction is against the city average (0.7–1.3). */
  readonly volumeFactor: number;
  /** Share of arterial traffic turning left here. */
  readonly arterialLeftShare: number;
  /** Distance along the arterials from the west edge, m: offsets make a green wave. */
  readonly progressionM: number;
}

/** AM-peak approach volume per lane, veh/h, by road class. */
export const PEAK_VEH_PER_H_LANE = { arterial: 550, side: 220 } as const;
/** Default turning shares by road class (renormalised over the turns a junction allows). */
export const TURN_SHARES = {
  arterial: { L: 0.1, T: 0.8, R: 0.1 },
  side: { L: 0.2, T: 0.6, R: 0.2 },
} as const satisfies Record<string, Record<Turn, number>>;

const LANE_WIDTH_M = 3.3;
const TURNS: readonly Turn[] = ['L', 'T', 'R'];
/** Left × opposing-through volume product above which a left turn gets its own phase (veh²/h²). */
const PROTECTED_LEFT_PRODUCT = 120_000;
const PROGRESSION_SPEED_MS = 12.5;

/**
 * Lane groups, movements, crossings, conflicts, phases and stored plans of one junction, from
 * its legs. Arterial approaches with heavy left turns get a left pocket and a protected left
 * phase; every other left turn is permitted and gives way.
 */
export function buildIntersection(spec: IntersectionSpec): Intersection {
  const legs = new Map(spec.legs.map((l) => [l.dir, l]));
  const kind = legs.size === 4 ? 'cross' : 'tee';
  const volumes = new Map<string, number>(); // movement id → AM-peak veh/h
  const movementsOf = new Map<Approach, { turn: Turn; out: Leg }[]>();
  for (const leg of spec.legs) {
    const turns = TURNS.flatMap((turn) => {
      const out = legs.get(exitLeg(leg.dir, turn));
      return out ? [{ turn, out }] : [];
    });
    movementsOf.set(leg.dir, turns);
    const shares = turnShares(leg.roadClass, spec.arterialLeftShare);
    const sum = turns.reduce((s, t) => s + shares[t.turn], 0);
    const approachVol = leg.lanes * PEAK_VEH_PER_H_LANE[leg.roadClass] * spec.volumeFactor;
    for (const t of turns) volumes.set(`${leg.dir}${t.turn}`, (approachVol * shares[t.turn]) / sum);
  }

  // A left turn gets its own phase when left × opposing through is high on an arterial cross.
  const protectedAxis = new Set<'NS' | 'EW'>();
  if (kind === 'cross') {
    for (const leg of spec.legs) {
      if (leg.roadClass !== 'arterial') continue;
      const left = volumes.get(`${leg.dir}L`) ?? 0;
      const opposing = volumes.get(`${oppositeOf(leg.dir)}T`) ?? 0;
      if (left * opposing > PROTECTED_LEFT_PRODUCT) protectedAxis.add(axisOf(leg.dir));
    }
  }

  const laneGroups: LaneGroup[] = [];
  const movements: VehicleMovement[] = [];
  const groupVolume = new Map<string, number>();
  for (const leg of spec.legs) {
    const turns = movementsOf.get(leg.dir) ?? [];
    const pocket = protectedAxis.has(axisOf(leg.dir)) && turns.some((t) => t.turn === 'L');
    const mainTurns = turns.filter((t) => !(pocket && t.turn === 'L')).map((t) => t.turn);
    const mainId = `${leg.dir}-${mainTurns.join('')}`;
    if (pocket) laneGroups.push({ id: `${leg.dir}-L`, approach: leg.dir, lanes: 1, turns: ['L'] });
    if (mainTurns.length > 0) {
      laneGroups.push({ id: mainId, approach: leg.dir, lanes: leg.lanes, turns: mainTurns });
    }
    for (const t of turns) {
      const laneGroup = pocket && t.turn === 'L' ? `${leg.dir}-L` : mainId;
      const id = `${leg.dir}${t.turn}`;
      movements.push({ id, approach: leg.dir, turn: t.turn, laneGroup, outLink: t.out.outLink });
      groupVolume.set(laneGroup, (groupVolume.get(laneGroup) ?? 0) + (volumes.get(id) ?? 0));
    }
  }

  const pedestrianCrossings: PedestrianCrossing[] = spec.legs.map((leg) => {
    const cross = 2 * leg.lanes + (protectedAxis.has(axisOf(leg.dir)) ? 1 : 0);
    return { id: `P${leg.dir}`, leg: leg.dir, lengthM: round1(cross * LANE_WIDTH_M + 1) };
  });
  const { conflicts, yields } = conflictMatrix(movements, pedestrianCrossings);
  const hard = new Set(conflicts.map(([a, b]) => `${a}|${b}`));
  const clash = (a: string, b: string) => hard.has(a < b ? `${a}|${b}` : `${b}|${a}`);

  const vehiclePhases = phaseMovements(kind, spec.legs, movementsOf, protectedAxis);
  const phases: PhaseDef[] = vehiclePhases.map((ms, i) => ({ id: `P${i + 1}`, movements: ms }));
  // Each crossing walks with the first through phase it does not clash with.
  for (const c of pedestrianCrossings) {
    const fits = (p: PhaseDef) => p.movements.every((m) => !clash(m, c.id));
    const through = phases.find((p) => fits(p) && p.movements.some((m) => m.endsWith('T')));
    (through ?? phases.find(fits))?.movements.push(c.id);
  }

  const lanesOf = new Map(laneGroups.map((g) => [g.id, g.lanes]));
  const groupOf = new Map(movements.map((m) => [m.id, m.laneGroup]));
  const crossingM = new Map(pedestrianCrossings.map((c) => [c.id, c.lengthM]));
  const demands: PhaseDemand[] = phases.map((phase) => {
    const groups = [...new Set(phase.movements.flatMap((m) => groupOf.get(m) ?? []))];
    return {
      phase,
      criticalFlowRatio: criticalFlowRatio(
        groups.map((g) => groupVolume.get(g) ?? 0),
        groups.map((g) => lanesOf.get(g) ?? 1),
      ),
      pedestrianCrossingM: Math.max(0, ...phase.movements.map((m) => crossingM.get(m) ?? 0)),
    };
  });
  const offset = spec.progressionM / PROGRESSION_SPEED_MS;
  const plans = PERIODS.map((p) => websterPlan(`${spec.id}-${p.key}`, demands, p.volumeFactor, offset));
  const widest = Math.max(...spec.legs.map((l) => 2 * l.lanes));

  return {
    id: spec.id,
    name: spec.name,
    position: spec.position,
    kind,
    widthM: round1(widest * LANE_WIDTH_M + 4),
    approaches: spec.legs.map((l) => ({
      dir: l.dir,
      inLink: l.inLink,
      lanes: l.lanes,
      speedLimitKmh: l.speedLimitKmh,
    })),
    laneGroups,
    movements,
    pedestrianCrossings,
    conflicts,
    yields,
    phases,
    plans,
    schedule: planSchedule(spec.id),
  };
}

function turnShares(roadClass: 'arterial' | 'side', arterialLeftShare: number): Record<Turn, number> {
  if (roadClass === 'side') return TURN_SHARES.side;
  return { L: arterialLeftShare, T: 1 - 2 * arterialLeftShare, R: arterialLeftShare };
}

function axisOf(dir: Approach): 'NS' | 'EW' {
  return dir === 'N' || dir === 'S' ? 'NS' : 'EW';
}

/**
 * Vehicle movements per phase. Cross: per axis either one phase with permitted lefts, or a
 * protected-left phase followed by through and right. Tee: the through road, then the stem.
 */
function phaseMovements(
  kind: 'cross' | 'tee',
  legs: readonly Leg[],
  movementsOf: ReadonlyMap<Approach, readonly { turn: Turn }[]>,
  protectedAxis: ReadonlySet<'NS' | 'EW'>,
): string[][] {
  const ids = (dirs: readonly Approach[], keep: (t: Turn) => boolean) =>
    dirs.flatMap((d) => (movementsOf.get(d) ?? []).filter((m) => keep(m.turn)).map((m) => `${d}${m.turn}`));
  const present = new Set(legs.map((l) => l.dir));
  if (kind === 'tee') {
    const major: Approach[] = present.has('N') && present.has('S') ? ['N', 'S'] : ['E', 'W'];
    const minor = [...present].filter((d) => !major.includes(d));
    return [ids(major, () => true), ids(minor, () => true)].filter((p) => p.length > 0);
  }
  const out: string[][] = [];
  for (const [axis, dirs] of [
    ['NS', ['N', 'S']],
    ['EW', ['E', 'W']],
  ] as const) {
    if (protectedAxis.has(axis)) {
      out.push(ids(dirs, (t) => t === 'L'));
      out.push(ids(dirs, (t) => t !== 'L'));
    } else {
      out.push(ids(dirs, () => true));
    }
  }
  return out;
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
