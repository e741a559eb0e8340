import type {
  Approach,
  CityNetwork,
  Intersection,
  Link,
  LonLat,
  StoredPlan,
  VehicleMovement,
} from '../../protocol/index.ts';

/**
 * A small hand-built city for tests and demos that must not depend on the generator: a row of
 * four-leg junctions with a camera on every approach, one gateway with its meters and one
 * directly-reporting meter. Timings follow the safety rules (7 s through greens, 3 s yellow,
 * 2 s all-red) so the stored plans pass every controller's own check.
 */
export function tinyCity(intersections = 1): CityNetwork {
  const dirs: Approach[] = ['N', 'E', 'S', 'W'];
  const nodes: Intersection[] = [];
  const links: Link[] = [];
  for (let i = 0; i < intersections; i++) {
    const id = `I${i + 1}`;
    const at: LonLat = [37.6 + i * 0.005, 55.75];
    nodes.push(crossIntersection(id, at));
    for (const d of dirs) {
      links.push({
        id: `L-${id}-${d}`,
        from: null,
        to: id,
        toApproach: d,
        lengthM: 300,
        lanes: 2,
        speedLimitKmh: 50,
        roadClass: d === 'E' || d === 'W' ? 'arterial' : 'side',
        geometry: [offset(at, d), at],
      });
    }
  }
  return {
    format: 'city-network',
    version: 1,
    name: `tiny city (${intersections})`,
    center: [37.6, 55.75],
    intersections: nodes,
    links,
    cameras: nodes.flatMap((n) =>
      dirs.map((d) => ({
        id: `cam-${n.id}-${d}`,
        intersectionId: n.id,
        approach: d,
        linkId: `L-${n.id}-${d}`,
      })),
    ),
    gateways: [{ id: 'gw-1', position: [37.601, 55.751] }],
    buildings: [
      {
        id: 'B1',
        position: [37.601, 55.7512],
        use: 'residential',
        meters: [
          { id: 'm-B1-w', kind: 'water', gatewayId: 'gw-1' },
          { id: 'm-B1-e', kind: 'electricity', gatewayId: 'gw-1' },
        ],
      },
      {
        id: 'B2',
        position: [37.602, 55.7508],
        use: 'office',
        meters: [{ id: 'm-B2-e', kind: 'electricity' }],
      },
    ],
  };
}

/** A four-leg junction with four phases: N–S through+right, N–S left, E–W through+right, E–W left. */
export function crossIntersection(id: string, position: LonLat): Intersection {
  const dirs: Approach[] = ['N', 'E', 'S', 'W'];
  const movements: VehicleMovement[] = dirs.flatMap((d) =>
    (['L', 'T', 'R'] as const).map((t) => ({
      id: `${d}${t}`,
      approach: d,
      turn: t,
      laneGroup: `${d}-all`,
      outLink: null,
    })),
  );
  const ns = ['NT', 'NL', 'ST', 'SL'];
  const ew = ['ET', 'EL', 'WT', 'WL'];
  const conflicts: [string, string][] = [
    // Crossing streams: any N–S through or left against any E–W through or left.
    ...ns.flatMap((a) => ew.map((b): [string, string] => [a, b])),
    // Left turns across the opposing through stream.
    ['NL', 'ST'],
    ['SL', 'NT'],
    ['EL', 'WT'],
    ['WL', 'ET'],
    // Right turns merging into a through stream.
    ['NR', 'ET'],
    ['SR', 'WT'],
    ['ER', 'ST'],
    ['WR', 'NT'],
    // Pedestrians crossing the north leg against the streams entering or leaving it (the
    // right turn ER into the north leg yields to them, as a permissive movement).
    ['PN', 'NT'],
    ['PN', 'NL'],
    ['PN', 'NR'],
    ['PN', 'ST'],
    ['PN', 'WL'],
  ];
  const phaseMovements = {
    A: ['NT', 'NR', 'ST', 'SR'],
    B: ['NL', 'SL'],
    C: ['ET', 'ER', 'WT', 'WR', 'PN'],
    D: ['EL', 'WL'],
  };
  const plan = (planId: string, greens: [number, number, number, number]): StoredPlan => {
    const phases = (['A', 'B', 'C', 'D'] as const).map((p, i) => ({
      id: p,
      movements: phaseMovements[p],
      greenS: greens[i] ?? 7,
      yellowS: 3,
      allRedS: 2,
    }));
    return {
      id: planId,
      cycleS: phases.reduce((s, p) => s + p.greenS + p.yellowS + p.allRedS, 0),
      offsetS: 0,
      phases,
    };
  };
  return {
    id,
    name: `Junction ${id}`,
    position,
    kind: 'cross',
    widthM: 20,
    approaches: dirs.map((d) => ({ dir: d, inLink: `L-${id}-${d}`, lanes: 2, speedLimitKmh: 50 })),
    laneGroups: dirs.map((d) => ({ id: `${d}-all`, approach: d, lanes: 2, turns: ['L', 'T', 'R'] })),
    movements,
    pedestrianCrossings: [{ id: 'PN', leg: 'N', lengthM: 14 }],
    conflicts,
    phases: Object.entries(phaseMovements).map(([p, m]) => ({ id: p, movements: m })),
    plans: [plan('day', [25, 8, 30, 8]), plan('night', [10, 5, 12, 5]), plan('weekend', [20, 7, 24, 7])],
    schedule: [
      { days: 'weekday', startMin: 6 * 60, planId: 'day' },
      { days: 'weekend', startMin: 8 * 60, planId: 'weekend' },
      { days: 'all', startMin: 22 * 60, planId: 'night' },
    ],
  };
}

function offset([lon, lat]: LonLat, d: Approach): LonLat {
  const k = 0.002;
  switch (d) {
    case 'N':
      return [lon, lat + k];
    case 'S':
      return [lon, lat - k];
    case 'E':
      return [lon + k, lat];
    case 'W':
      return [lon - k, lat];
  }
}
