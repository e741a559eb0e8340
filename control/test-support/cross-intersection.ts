import { type Approach, Intersection, type SignalPlan, type StoredPlan } from '../../protocol/index.ts';

const dirs: Approach[] = ['N', 'E', 'S', 'W'];

/** Phases of the fixture: protected lefts, then throughs with their parallel pedestrian crossings. */
export const crossPhases = [
  { id: 'NS-L', movements: ['NL', 'SL'] },
  { id: 'NS', movements: ['NT', 'NR', 'ST', 'SR', 'PE', 'PW'] },
  { id: 'EW-L', movements: ['EL', 'WL'] },
  { id: 'EW', movements: ['ET', 'ER', 'WT', 'WR', 'PN', 'PS'] },
];

export interface CrossOptions {
  id?: string;
  speedKmh?: number;
  widthM?: number;
  crossingM?: number;
  plans?: StoredPlan[];
}

/**
 * A hand-built four-leg junction for tests (not the generator's): two lanes per approach plus a
 * left-turn lane, four phases, and a conflict matrix where everything not sharing a phase conflicts.
 */
export function crossIntersection(opts: CrossOptions = {}): Intersection {
  const id = opts.id ?? 'I-1';
  const speed = opts.speedKmh ?? 50;
  const movements = dirs.flatMap((a) =>
    (['L', 'T', 'R'] as const).map((t) => ({
      id: `${a}${t}`,
      approach: a,
      turn: t,
      laneGroup: t === 'L' ? `${a}-L` : `${a}-TR`,
      outLink: null,
    })),
  );
  const all = [...movements.map((m) => m.id), ...dirs.map((d) => `P${d}`)];
  const phaseOf = new Map(crossPhases.flatMap((p) => p.movements.map((m) => [m, p.id] as const)));
  const conflicts: [string, string][] = [];
  for (let i = 0; i < all.length; i++) {
    for (let j = i + 1; j < all.length; j++) {
      const a = all[i] as string;
      const b = all[j] as string;
      if (phaseOf.get(a) !== phaseOf.get(b)) conflicts.push([a, b]);
    }
  }
  return Intersection.parse({
    id,
    name: `Test ${id}`,
    position: [37.62, 55.75],
    kind: 'cross',
    widthM: opts.widthM ?? 20,
    approaches: dirs.map((d) => ({ dir: d, inLink: `L-${id}-${d}`, lanes: 3, speedLimitKmh: speed })),
    laneGroups: dirs.flatMap((a) => [
      { id: `${a}-L`, approach: a, lanes: 1, turns: ['L'] },
      { id: `${a}-TR`, approach: a, lanes: 2, turns: ['T', 'R'] },
    ]),
    movements,
    pedestrianCrossings: dirs.map((d) => ({ id: `P${d}`, leg: d, lengthM: opts.crossingM ?? 14 })),
    conflicts,
    phases: crossPhases,
    plans: opts.plans ?? [storedPlan('day', [10, 30, 10, 25]), storedPlan('night', [7, 22, 7, 22])],
    schedule: [
      { days: 'all', startMin: 0, planId: 'night' },
      { days: 'all', startMin: 360, planId: 'day' },
      { days: 'all', startMin: 1320, planId: 'night' },
    ],
  });
}

export function storedPlan(id: string, greens: number[], yellowS = 3.5, allRedS = 2): StoredPlan {
  const phases = crossPhases.map((p, i) => ({
    id: p.id,
    movements: p.movements,
    greenS: greens[i] ?? 10,
    yellowS,
    allRedS,
    ...(p.movements.some((m) => m.startsWith('P')) ? { walkS: 7 } : {}),
  }));
  return { id, cycleS: phases.reduce((s, p) => s + p.greenS + p.yellowS + p.allRedS, 0), offsetS: 0, phases };
}

/** A signal plan for the fixture with the given greens (yellow 3.5 s, all-red 2 s unless told). */
export function crossPlan(
  greens: number[],
  extra: Partial<SignalPlan> = {},
  yellowS = 3.5,
  allRedS = 2,
): SignalPlan {
  const { id: _id, ...sp } = storedPlan('test', greens, yellowS, allRedS);
  return { ts: 1_700_000_000_000, planId: 'test', source: 'adaptive', ...sp, ...extra };
}
