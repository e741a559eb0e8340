import type {
  Approach,
  Building,
  Camera,
  CityNetwork,
  Intersection,
  Link,
  LonLat,
} from '../../protocol/index.ts';
import { buildIntersection, type Leg } from './build-intersection.ts';
import { type BuildingOptions, buildingSource } from './buildings.ts';
import {
  ARTERIAL_SPEED_KMH,
  type GridLayout,
  layoutGrid,
  neighbour,
  positionM,
  SIDE_SPEED_KMH,
  segmentClass,
  streetLanes,
  toLonLat,
} from './grid-layout.ts';
import { createRandom } from './seeded-random.ts';

export interface GenerateNetworkOptions extends BuildingOptions {
  /** Junctions in the grid (default 100). */
  readonly intersections?: number;
  readonly seed: number;
  /** `[lon, lat]` of the district's centre (default central Moscow). */
  readonly center?: LonLat;
  readonly name?: string;
}

/** A generated city whose buildings are produced on demand, for sizes that should not sit in memory. */
export interface GeneratedCity {
  /** The network without buildings (its `buildings` is empty); gateways are included. */
  readonly network: CityNetwork;
  readonly buildingCount: number;
  /** The buildings in id order, each computed from its index (same as `generateNetwork`'s). */
  buildings(): IterableIterator<Building>;
}

export const MOSCOW_CENTER: LonLat = [37.62, 55.75];
const DIRS: readonly Approach[] = ['N', 'E', 'S', 'W'];
const BOUNDARY_LINK_M = 250;
/** Links of one street are drawn this far right of its centre line, so both directions show. */
const DRAW_OFFSET_M = 5;
const ARTERIAL_NAMES = [
  'Tverskaya ulitsa',
  'Leninsky prospekt',
  'Prospekt Mira',
  'Novy Arbat',
  'Kutuzovsky prospekt',
  'Leningradsky prospekt',
  'Varshavskoye shosse',
  'Profsoyuznaya ulitsa',
  'Volgogradsky prospekt',
  'Shosse Entuziastov',
  'Dmitrovskoye shosse',
  'Mozhayskoye shosse',
];

/**
 * A deterministic demo district for a seed: a street grid on real Moscow coordinates with
 * arterials every fourth street, T-junctions, boundary entry and exit links, cameras on every
 * approach, buildings with a water and an electricity meter, most of them behind gateways.
 */
export function generateNetwork(options: GenerateNetworkOptions): CityNetwork {
  const city = generateCity(options);
  return { ...city.network, buildings: [...city.buildings()] };
}

/** Same city as `generateNetwork`, with buildings streamed instead of materialised. */
export function generateCity(options: GenerateNetworkOptions): GeneratedCity {
  const count = options.intersections ?? 100;
  if (!Number.isInteger(count) || count < 1) throw new RangeError('intersections must be a positive integer');
  const center = options.center ?? MOSCOW_CENTER;
  const rand = createRandom(options.seed);
  const grid = layoutGrid(count, center, rand);
  const pad = Math.max(4, String(count - 1).length);
  const iid = (i: number) => `I-${String(i).padStart(pad, '0')}`;
  const num = (i: number) => String(i).padStart(pad, '0');

  const links: Link[] = [];
  const legsOf: Leg[][] = Array.from({ length: count }, () => []);
  const streetName = (i: number, dir: Approach) => {
    const horizontal = dir === 'E' || dir === 'W';
    const k = horizontal ? Math.floor(i / grid.cols) : i % grid.cols;
    return streetNameOf(grid, horizontal, k);
  };
  for (let i = 0; i < count; i++) {
    for (const dir of DIRS) {
      const j = neighbour(grid, i, dir);
      const roadClass = segmentClass(grid, i, dir);
      const lanes = streetLanes(grid, i, dir);
      const speedLimitKmh = roadClass === 'arterial' ? ARTERIAL_SPEED_KMH : SIDE_SPEED_KMH;
      const name = streetName(i, dir);
      const base = { lanes, speedLimitKmh, roadClass, name } as const;
      const here = positionM(grid, i);
      let inLink: string;
      let outLink: string;
      if (j === null) {
        const far = step(here, dir, BOUNDARY_LINK_M);
        inLink = `E-${num(i)}-${dir}`;
        outLink = `X-${num(i)}-${dir}`;
        links.push(link(grid, { ...base, id: inLink, from: null, to: iid(i), toApproach: dir }, far, here));
        links.push(link(grid, { ...base, id: outLink, from: iid(i), to: null, toApproach: null }, here, far));
      } else {
        if (grid.removed.has(`${Math.min(i, j)}|${Math.max(i, j)}`)) continue;
        inLink = `L-${num(j)}-${num(i)}`;
        outLink = `L-${num(i)}-${num(j)}`;
        // Each directed link is created once, by the junction it leaves.
        links.push(
          link(
            grid,
            { ...base, id: outLink, from: iid(i), to: iid(j), toApproach: opposite(dir) },
            here,
            positionM(grid, j),
          ),
        );
      }
      legsOf[i]?.push({ dir, inLink, outLink, roadClass, lanes, speedLimitKmh });
    }
  }

  const intersections: Intersection[] = [];
  const cameras: Camera[] = [];
  const westM = grid.xM[0] ?? 0;
  for (let i = 0; i < count; i++) {
    const [x, y] = positionM(grid, i);
    const r = Math.floor(i / grid.cols);
    const c = i % grid.cols;
    const x0 = buildIntersection({
      id: iid(i),
      name: `${streetNameOf(grid, true, r)} / ${streetNameOf(grid, false, c)}`,
      position: toLonLat(center, x, y),
      legs: legsOf[i] ?? [],
      volumeFactor: rand.range(0.7, 1.3),
      arterialLeftShare: rand.range(0.05, 0.15),
      progressionM: x - westM,
    });
    intersections.push(x0);
    for (const a of x0.approaches) {
      cameras.push({
        id: `CAM-${num(i)}-${a.dir}`,
        intersectionId: x0.id,
        approach: a.dir,
        linkId: a.inLink,
      });
    }
  }

  const source = buildingSource(grid, options, options.seed, intersections.length);
  const network: CityNetwork = {
    format: 'city-network',
    version: 1,
    name: options.name ?? `Moscow demo district (${count} intersections, seed ${options.seed})`,
    center,
    intersections,
    links,
    cameras,
    gateways: source.gateways,
    buildings: [],
  };
  return { network, buildingCount: source.count, buildings: source.buildings };
}

function link(
  grid: GridLayout,
  fields: Omit<Link, 'geometry' | 'lengthM'>,
  from: readonly [number, number],
  to: readonly [number, number],
): Link {
  const dx = to[0] - from[0];
  const dy = to[1] - from[1];
  const len = Math.hypot(dx, dy);
  // Right of the direction of travel: (dy, −dx) normalised.
  const ox = (dy / len) * DRAW_OFFSET_M;
  const oy = (-dx / len) * DRAW_OFFSET_M;
  return {
    id: fields.id,
    from: fields.from,
    to: fields.to,
    toApproach: fields.toApproach,
    lengthM: Math.round(len * 10) / 10,
    lanes: fields.lanes,
    speedLimitKmh: fields.speedLimitKmh,
    roadClass: fields.roadClass,
    ...(fields.name === undefined ? {} : { name: fields.name }),
    geometry: [
      toLonLat(grid.center, from[0] + ox, from[1] + oy),
      toLonLat(grid.center, to[0] + ox, to[1] + oy),
    ],
  };
}

function step(p: readonly [number, number], dir: Approach, m: number): [number, number] {
  if (dir === 'N') return [p[0], p[1] + m];
  if (dir === 'S') return [p[0], p[1] - m];
  return dir === 'E' ? [p[0] + m, p[1]] : [p[0] - m, p[1]];
}

function opposite(dir: Approach): Approach {
  return dir === 'N' ? 'S' : dir === 'S' ? 'N' : dir === 'E' ? 'W' : 'E';
}

function streetNameOf(grid: GridLayout, horizontal: boolean, k: number): string {
  const arterial = horizontal ? grid.arterialRow[k] : grid.arterialCol[k];
  if (arterial) {
    const n = Math.floor(k / 4) * 2 + (horizontal ? 0 : 1);
    const base = ARTERIAL_NAMES[n % ARTERIAL_NAMES.length] as string;
    return n < ARTERIAL_NAMES.length ? base : `${base} ${Math.floor(n / ARTERIAL_NAMES.length) + 1}`;
  }
  return horizontal ? `${k + 1}-ya ulitsa` : `${k + 1}-y proyezd`;
}
