import type { Building, BuildingMeter, Gateway } from '../../protocol/index.ts';
import { type GridLayout, neighbour, positionM, toLonLat } from './grid-layout.ts';
import { hashUnit } from './seeded-random.ts';

export interface BuildingOptions {
  /** Buildings along the streets (default 5 per intersection). Each has a water and an electricity meter. */
  readonly buildings?: number;
  /** Alternative to `buildings`: total meters wanted (two per building, rounded up). */
  readonly meters?: number;
  /** Meters per gateway (default 50). */
  readonly metersPerGateway?: number;
  /** Share of buildings whose meters report through a gateway (default 0.9). */
  readonly gatewayShare?: number;
}

export interface BuildingSource {
  readonly count: number;
  readonly gateways: Gateway[];
  buildings(): IterableIterator<Building>;
}

const DEFAULT_BUILDINGS_PER_INTERSECTION = 5;
/** Set back from the street centre line, m. */
const SETBACK_M = 25;

/**
 * Buildings are spread over the street segments in id order, so consecutive ids are neighbours
 * and a gateway serves a contiguous run of them. Every building is computed from its index and
 * the seed alone: a million meters stream out without holding them all.
 */
export function buildingSource(
  grid: GridLayout,
  options: BuildingOptions,
  seed: number,
  intersections: number,
): BuildingSource {
  const count =
    options.buildings ??
    (options.meters !== undefined
      ? Math.ceil(options.meters / 2)
      : intersections * DEFAULT_BUILDINGS_PER_INTERSECTION);
  const share = options.gatewayShare ?? 0.9;
  const perGateway = options.metersPerGateway ?? 50;
  const segments = streetSegments(grid);
  const nSeg = segments.length / 4;
  const gatewayCount =
    count === 0 || share <= 0 ? 0 : Math.max(1, Math.round((count * 2 * share) / perGateway));
  const bPad = Math.max(4, String(Math.max(0, count - 1)).length);
  const gPad = Math.max(4, String(Math.max(0, gatewayCount - 1)).length);
  const gatewayId = (g: number) => `GW-${String(g).padStart(gPad, '0')}`;

  const positionOf = (i: number) => {
    const s = nSeg === 0 ? 0 : Math.min(nSeg - 1, Math.floor((i * nSeg) / count));
    const x1 = segments[s * 4] ?? 0;
    const y1 = segments[s * 4 + 1] ?? 0;
    const x2 = segments[s * 4 + 2] ?? 0;
    const y2 = segments[s * 4 + 3] ?? 0;
    const f = 0.1 + 0.8 * hashUnit(seed, i, 1);
    const len = Math.hypot(x2 - x1, y2 - y1) || 1;
    const side = hashUnit(seed, i, 2) < 0.5 ? -1 : 1;
    const x = x1 + (x2 - x1) * f + ((y2 - y1) / len) * SETBACK_M * side;
    const y = y1 + (y2 - y1) * f - ((x2 - x1) / len) * SETBACK_M * side;
    return toLonLat(grid.center, x, y);
  };

  const gateways: Gateway[] = [];
  for (let g = 0; g < gatewayCount; g++) {
    gateways.push({ id: gatewayId(g), position: positionOf(Math.floor(((g + 0.5) * count) / gatewayCount)) });
  }

  function* buildings(): IterableIterator<Building> {
    for (let i = 0; i < count; i++) {
      const id = `B-${String(i).padStart(bPad, '0')}`;
      const behind = gatewayCount > 0 && hashUnit(seed, i, 4) < share;
      const gw = behind ? { gatewayId: gatewayId(Math.floor((i * gatewayCount) / count)) } : {};
      const meters: BuildingMeter[] = [
        { id: `${id}-W`, kind: 'water', ...gw },
        { id: `${id}-E`, kind: 'electricity', ...gw },
      ];
      const u = hashUnit(seed, i, 3);
      const use = u < 0.7 ? 'residential' : u < 0.85 ? 'office' : u < 0.95 ? 'retail' : 'public';
      yield { id, position: positionOf(i), use, meters };
    }
  }
  return { count, gateways, buildings };
}

/** Street segments between neighbouring junctions as x1,y1,x2,y2 (m), row by row. */
function streetSegments(grid: GridLayout): Float64Array {
  const out: number[] = [];
  for (let i = 0; i < grid.count; i++) {
    for (const dir of ['E', 'S'] as const) {
      const j = neighbour(grid, i, dir);
      if (j === null || grid.removed.has(`${i}|${j}`)) continue;
      out.push(...positionM(grid, i), ...positionM(grid, j));
    }
  }
  if (out.length === 0) out.push(...positionM(grid, 0), ...positionM(grid, 0).map((v) => v + 100));
  return Float64Array.from(out);
}
