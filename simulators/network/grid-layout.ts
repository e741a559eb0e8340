import type { Approach, LonLat } from '../../protocol/index.ts';
import type { Random } from './seeded-random.ts';

/** A street grid in metres around a centre: x east, y north. Row 0 is the northern edge. */
export interface GridLayout {
  readonly count: number;
  readonly cols: number;
  readonly rows: number;
  readonly xM: readonly number[];
  readonly yM: readonly number[];
  readonly arterialCol: readonly boolean[];
  readonly arterialRow: readonly boolean[];
  /** Lanes per direction of each column's / row's street. */
  readonly colLanes: readonly number[];
  readonly rowLanes: readonly number[];
  /** Segments dropped to make T-junctions, keyed `${a}|${b}` with a < b. */
  readonly removed: ReadonlySet<string>;
  readonly center: LonLat;
}

export const ARTERIAL_LANES = 3;
export const ARTERIAL_SPEED_KMH = 60;
export const SIDE_SPEED_KMH = 40;
const MIN_SPACING_M = 150;
const MAX_SPACING_M = 400;
/** Share of side-street blocks closed off, which turns both their ends into T-junctions. */
const TEE_SHARE = 0.07;
const M_PER_DEG_LAT = 111_320;

/** Arterials every fourth street, starting with the second so the edges are side streets. */
function isArterial(k: number, count: number): boolean {
  return count === 1 ? true : k % 4 === 1;
}

export function layoutGrid(count: number, center: LonLat, rand: Random): GridLayout {
  const cols = Math.ceil(Math.sqrt(count));
  const rows = Math.ceil(count / cols);
  const spacing = (n: number) => {
    const at = [0];
    for (let k = 1; k < n; k++)
      at.push((at[k - 1] as number) + Math.round(rand.range(MIN_SPACING_M, MAX_SPACING_M) / 10) * 10);
    const mid = (at[n - 1] as number) / 2;
    return at.map((v) => v - mid);
  };
  const xM = spacing(cols);
  const yM = spacing(rows).map((v) => -v); // row 0 north
  const arterialCol = xM.map((_, c) => isArterial(c, cols));
  const arterialRow = yM.map((_, r) => isArterial(r, rows));
  const sideLanes = (arterial: boolean) => (arterial ? ARTERIAL_LANES : rand.chance(0.35) ? 2 : 1);
  const colLanes = arterialCol.map(sideLanes);
  const rowLanes = arterialRow.map(sideLanes);

  const layout = { count, cols, rows, xM, yM, arterialCol, arterialRow, colLanes, rowLanes, center };
  const removed = new Set<string>();
  const degree = new Uint8Array(count).fill(4);
  for (let i = 0; i < count; i++) {
    for (const dir of ['E', 'S'] as const) {
      const j = neighbour(layout, i, dir);
      if (j === null || segmentClass(layout, i, dir) !== 'side') continue;
      if (!rand.chance(TEE_SHARE) || degree[i] !== 4 || degree[j] !== 4) continue;
      removed.add(`${i}|${j}`);
      degree[i] = 3;
      degree[j] = 3;
    }
  }
  return { ...layout, removed };
}

type LayoutShape = Omit<GridLayout, 'removed'>;

/** Index of the junction next to `i` in direction `dir`, or null at the edge of the grid. */
export function neighbour(g: LayoutShape, i: number, dir: Approach): number | null {
  const r = Math.floor(i / g.cols);
  const c = i % g.cols;
  const [rr, cc] =
    dir === 'N' ? [r - 1, c] : dir === 'S' ? [r + 1, c] : dir === 'E' ? [r, c + 1] : [r, c - 1];
  if (rr < 0 || cc < 0 || cc >= g.cols) return null;
  const j = rr * g.cols + cc;
  return j < g.count ? j : null;
}

/** Road class of the street leaving junction i towards dir (rows run E–W, columns N–S). */
export function segmentClass(g: LayoutShape, i: number, dir: Approach): 'arterial' | 'side' {
  const horizontal = dir === 'E' || dir === 'W';
  const arterial = horizontal ? g.arterialRow[Math.floor(i / g.cols)] : g.arterialCol[i % g.cols];
  return arterial ? 'arterial' : 'side';
}

export function streetLanes(g: LayoutShape, i: number, dir: Approach): number {
  const horizontal = dir === 'E' || dir === 'W';
  return (horizontal ? g.rowLanes[Math.floor(i / g.cols)] : g.colLanes[i % g.cols]) ?? 1;
}

export function positionM(g: LayoutShape, i: number): [number, number] {
  return [g.xM[i % g.cols] ?? 0, g.yM[Math.floor(i / g.cols)] ?? 0];
}

export function toLonLat(center: LonLat, xM: number, yM: number): LonLat {
  const lat = center[1] + yM / M_PER_DEG_LAT;
  const lon = center[0] + xM / (M_PER_DEG_LAT * Math.cos((center[1] * Math.PI) / 180));
  return [round6(lon), round6(lat)];
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
