import { type Approach, CityNetwork, type Intersection, type StoredPlan } from '../../../protocol/index.ts';

const dirs: Approach[] = ['N', 'E', 'S', 'W'];
const phaseDefs = [
  { id: 'NS', movements: ['NL', 'NT', 'NR', 'SL', 'ST', 'SR', 'PE', 'PW'] },
  { id: 'EW', movements: ['EL', 'ET', 'ER', 'WL', 'WT', 'WR', 'PN', 'PS'] },
];

function plan(id: string, greens: [number, number], phases = phaseDefs): StoredPlan {
  const ps = phases.map((p, i) => ({
    id: p.id,
    movements: p.movements,
    greenS: greens[i] ?? 20,
    yellowS: 4,
    allRedS: 2.5,
    walkS: 7,
  }));
  return { id, cycleS: ps.reduce((s, p) => s + p.greenS + p.yellowS + p.allRedS, 0), offsetS: 0, phases: ps };
}

/** A two-phase four-leg junction: permissive lefts, pedestrians with the parallel through. */
function junction(id: string, position: [number, number]): Intersection {
  const movements = dirs.flatMap((a) =>
    (['L', 'T', 'R'] as const).map((t) => ({
      id: `${a}${t}`,
      approach: a,
      turn: t,
      laneGroup: `${a}-all`,
      outLink: null,
    })),
  );
  const ns = new Set(phaseDefs[0]?.movements);
  const all = [...movements.map((m) => m.id), 'PN', 'PE', 'PS', 'PW'];
  const conflicts: [string, string][] = [];
  for (const a of all) for (const b of all) if (a < b && ns.has(a) !== ns.has(b)) conflicts.push([a, b]);
  return {
    id,
    name: `Junction ${id}`,
    position,
    kind: 'cross',
    widthM: 18,
    approaches: dirs.map((d) => ({ dir: d, inLink: `${id}-in-${d}`, lanes: 2, speedLimitKmh: 50 })),
    laneGroups: dirs.map((d) => ({
      id: `${d}-all`,
      approach: d,
      lanes: 2,
      turns: ['L', 'T', 'R'] as ('L' | 'T' | 'R')[],
    })),
    movements,
    pedestrianCrossings: dirs.map((d) => ({ id: `P${d}`, leg: d, lengthM: 12 })),
    conflicts,
    phases: phaseDefs,
    plans: [
      plan('day', [30, 25]),
      plan('night', [15, 15]),
      // Deliberately unsafe: north-south and east-west through green together.
      plan(
        'broken',
        [20, 20],
        [
          { id: 'NS', movements: ['NT', 'ET'] },
          { id: 'EW', movements: ['EL', 'WL'] },
        ],
      ),
    ],
    schedule: [{ days: 'all', startMin: 0, planId: 'day' }],
  };
}

const offsets: Record<Approach, [number, number]> = {
  N: [0, 0.002],
  E: [0.003, 0],
  S: [0, -0.002],
  W: [-0.003, 0],
};

/**
 * A hand-built two-junction city for dashboard tests: A at [37.60, 55.75], B far east at
 * [37.70, 55.75] (so a viewport can hold one and not the other), a camera per approach, one
 * building with a water and an electricity meter beside A.
 */
export function tinyNetwork(): CityNetwork {
  const a = junction('A', [37.6, 55.75]);
  const b = junction('B', [37.7, 55.75]);
  const links = [a, b].flatMap((j) =>
    dirs.map((d) => ({
      id: `${j.id}-in-${d}`,
      from: null,
      to: j.id,
      toApproach: d,
      lengthM: 300,
      lanes: 2,
      speedLimitKmh: 50,
      roadClass: d === 'N' || d === 'S' ? ('arterial' as const) : ('side' as const),
      geometry: [
        [j.position[0] + offsets[d][0], j.position[1] + offsets[d][1]] as [number, number],
        j.position,
      ],
    })),
  );
  return CityNetwork.parse({
    format: 'city-network',
    version: 1,
    name: 'tiny',
    center: [37.65, 55.75],
    intersections: [a, b],
    links,
    cameras: [a, b].flatMap((j) =>
      dirs.map((d) => ({
        id: `cam-${j.id}-${d}`,
        intersectionId: j.id,
        approach: d,
        linkId: `${j.id}-in-${d}`,
      })),
    ),
    gateways: [{ id: 'gw-1', position: [37.601, 55.751] }],
    buildings: [
      {
        id: 'bld-1',
        position: [37.601, 55.751],
        use: 'residential',
        meters: [
          { id: 'wm-1', kind: 'water', gatewayId: 'gw-1' },
          { id: 'em-1', kind: 'electricity' },
        ],
      },
    ],
  });
}
