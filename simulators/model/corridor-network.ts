import type { CityNetwork, Intersection, Link } from '../../protocol/index.ts';
import { conflictMatrix } from '../network/conflict-matrix.ts';

export interface CorridorOptions {
  /** Junctions along the corridor (default 1). */
  readonly intersections?: number;
  /** Lanes of the main road (default 1). */
  readonly lanes?: number;
  /** Length of every link, m (default 300). */
  readonly linkLengthM?: number;
  readonly speedLimitKmh?: number;
}

/**
 * A hand-sized test network: an eastbound main road through a row of junctions, each with a
 * one-lane side street from the north whose traffic turns left (east) onto it. Main road
 * movement `WT`, side movement `NL`; they merge, so they conflict. Links: `E-MAIN` enters the
 * first junction, `L-k` joins junction k to k+1, `X-MAIN` leaves the last, `E-SIDE-k` feeds
 * junction k from the north. Two-phase plan of 90 s, run all day.
 */
export function corridorNetwork(options: CorridorOptions = {}): CityNetwork {
  const n = options.intersections ?? 1;
  const lanes = options.lanes ?? 1;
  const lengthM = options.linkLengthM ?? 300;
  const speedLimitKmh = options.speedLimitKmh ?? 50;
  const lon = (k: number) => 37.6 + k * 0.005;
  const id = (k: number) => `I-${k}`;
  const mainIn = (k: number) => (k === 0 ? 'E-MAIN' : `L-${k - 1}`);
  const mainOut = (k: number) => (k === n - 1 ? 'X-MAIN' : `L-${k}`);
  const links: Link[] = [];
  const intersections: Intersection[] = [];
  const road = { lengthM, speedLimitKmh } as const;
  for (let k = 0; k < n; k++) {
    links.push({
      ...road,
      id: mainIn(k),
      from: k === 0 ? null : id(k - 1),
      to: id(k),
      toApproach: 'W',
      lanes,
      roadClass: 'arterial',
      geometry: [
        [lon(k) - 0.005, 55.75],
        [lon(k), 55.75],
      ],
    });
    links.push({
      ...road,
      id: `E-SIDE-${k}`,
      from: null,
      to: id(k),
      toApproach: 'N',
      lanes: 1,
      roadClass: 'side',
      geometry: [
        [lon(k), 55.753],
        [lon(k), 55.75],
      ],
    });
    const movements = [
      { id: 'WT', approach: 'W', turn: 'T', laneGroup: 'W-T', outLink: mainOut(k) },
      { id: 'NL', approach: 'N', turn: 'L', laneGroup: 'N-L', outLink: mainOut(k) },
    ] as const;
    const { conflicts, yields } = conflictMatrix(movements, []);
    intersections.push({
      id: id(k),
      name: `Corridor ${k}`,
      position: [lon(k), 55.75],
      kind: 'tee',
      widthM: 12,
      approaches: [
        { dir: 'W', inLink: mainIn(k), lanes, speedLimitKmh },
        { dir: 'N', inLink: `E-SIDE-${k}`, lanes: 1, speedLimitKmh },
      ],
      laneGroups: [
        { id: 'W-T', approach: 'W', lanes, turns: ['T'] },
        { id: 'N-L', approach: 'N', lanes: 1, turns: ['L'] },
      ],
      movements: movements.map((m) => ({ ...m })),
      pedestrianCrossings: [],
      conflicts,
      yields,
      phases: [
        { id: 'P1', movements: ['WT'] },
        { id: 'P2', movements: ['NL'] },
      ],
      plans: [
        {
          id: `${id(k)}-FIXED`,
          cycleS: 90,
          offsetS: 0,
          phases: [
            { id: 'P1', movements: ['WT'], greenS: 55, yellowS: 3, allRedS: 2 },
            { id: 'P2', movements: ['NL'], greenS: 25, yellowS: 3, allRedS: 2 },
          ],
        },
      ],
      schedule: [{ days: 'all', startMin: 0, planId: `${id(k)}-FIXED` }],
    });
  }
  links.push({
    ...road,
    id: 'X-MAIN',
    from: id(n - 1),
    to: null,
    toApproach: null,
    lanes,
    roadClass: 'arterial',
    geometry: [
      [lon(n - 1), 55.75],
      [lon(n - 1) + 0.005, 55.75],
    ],
  });
  return {
    format: 'city-network',
    version: 1,
    name: `Test corridor (${n})`,
    center: [lon(0), 55.75],
    intersections,
    links,
    cameras: [],
    gateways: [],
    buildings: [],
  };
}
