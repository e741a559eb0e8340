import { zxyToTileId } from 'pmtiles';

/**
 * A minimal PMTiles v3 writer for tests and demos (the pmtiles package only reads): one root
 * directory, no compression, tiles stored in tile-id order. Enough for a handful of tiles.
 */
export interface TileInput {
  readonly z: number;
  readonly x: number;
  readonly y: number;
  readonly data: Uint8Array;
}

export interface TinyPmtilesOptions {
  /** 1 mvt, 2 png, 3 jpeg, 4 webp, 5 avif. */
  readonly tileType: number;
  readonly tiles: readonly TileInput[];
  readonly metadata?: unknown;
  /** [west, south, east, north]; default the whole world. */
  readonly bounds?: readonly [number, number, number, number];
  /** Default: the smallest and largest z of `tiles`. */
  readonly minZoom?: number;
  readonly maxZoom?: number;
  /** Overwrites the spec version byte (tests of refusal). */
  readonly version?: number;
}

function varint(out: number[], n: number): void {
  let v = n;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
}

function setU64(view: DataView, at: number, n: number): void {
  view.setUint32(at, n % 2 ** 32, true);
  view.setUint32(at + 4, Math.floor(n / 2 ** 32), true);
}

export function tinyPmtiles(o: TinyPmtilesOptions): Uint8Array {
  const entries = o.tiles
    .map((t) => ({ id: zxyToTileId(t.z, t.x, t.y), data: t.data }))
    .sort((a, b) => a.id - b.id);
  const dir: number[] = [];
  varint(dir, entries.length);
  let last = 0;
  for (const e of entries) {
    varint(dir, e.id - last);
    last = e.id;
  }
  for (const _ of entries) varint(dir, 1); // run length
  for (const e of entries) varint(dir, e.data.length);
  // Offsets: 0 means "right after the previous tile", which every tile here is but the first.
  for (let i = 0; i < entries.length; i++) varint(dir, i === 0 ? 1 : 0);

  const meta = new TextEncoder().encode(JSON.stringify(o.metadata ?? {}));
  const tileBytes = entries.reduce((n, e) => n + e.data.length, 0);
  const rootOffset = 127;
  const metaOffset = rootOffset + dir.length;
  const dataOffset = metaOffset + meta.length;
  const out = new Uint8Array(dataOffset + tileBytes);
  const view = new DataView(out.buffer);
  out.set(new TextEncoder().encode('PMTiles'), 0);
  out[7] = o.version ?? 3;
  setU64(view, 8, rootOffset);
  setU64(view, 16, dir.length);
  setU64(view, 24, metaOffset);
  setU64(view, 32, meta.length);
  setU64(view, 40, dataOffset); // no leaf directories
  setU64(view, 48, 0);
  setU64(view, 56, dataOffset);
  setU64(view, 64, tileBytes);
  setU64(view, 72, entries.length);
  setU64(view, 80, entries.length);
  setU64(view, 88, entries.length);
  out[96] = 1; // clustered
  out[97] = 1; // internal compression: none
  out[98] = 1; // tile compression: none
  out[99] = o.tileType;
  const zs = o.tiles.map((t) => t.z);
  out[100] = o.minZoom ?? Math.min(...zs);
  out[101] = o.maxZoom ?? Math.max(...zs);
  const [w, s, e, n] = o.bounds ?? [-180, -85, 180, 85];
  view.setInt32(102, Math.round(w * 1e7), true);
  view.setInt32(106, Math.round(s * 1e7), true);
  view.setInt32(110, Math.round(e * 1e7), true);
  view.setInt32(114, Math.round(n * 1e7), true);
  out[118] = out[100] ?? 0;
  view.setInt32(119, Math.round(((w + e) / 2) * 1e7), true);
  view.setInt32(123, Math.round(((s + n) / 2) * 1e7), true);
  out.set(Uint8Array.from(dir), rootOffset);
  out.set(meta, metaOffset);
  let at = dataOffset;
  for (const e of entries) {
    out.set(e.data, at);
    at += e.data.length;
  }
  return out;
}
