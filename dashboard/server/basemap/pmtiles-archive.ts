import { open } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { bytesToHeader, type Header } from 'pmtiles';
import type { BasemapTileType } from '../../shared/contract.ts';

/** A PMTiles v3 header is 127 bytes and starts with the ASCII magic `PMTiles` and version 3. */
export const PMTILES_HEADER_BYTES = 127;
const MAGIC = 'PMTiles';
/** Metadata is a small JSON document; a bigger one is not a basemap we can summarise. */
const MAX_METADATA_BYTES = 1024 * 1024;

const tileTypes: Record<number, BasemapTileType> = { 1: 'mvt', 2: 'png', 3: 'jpeg', 4: 'webp', 5: 'avif' };

/** What the dashboard tells the browser about a basemap archive. */
export interface BasemapSummary {
  readonly tileType: BasemapTileType;
  readonly minZoom: number;
  readonly maxZoom: number;
  readonly bounds: [number, number, number, number];
  readonly vectorLayers: string[];
}

/** Thrown for a file that is not a basemap the dashboard can serve; the message says why. */
export class BasemapError extends Error {
  override name = 'BasemapError';
}

/**
 * Reads and checks a PMTiles header (the pmtiles library parses the fields). Refused: another
 * magic or spec version, a tile type MapLibre cannot draw, or metadata past the file's end.
 */
export function parseBasemapHeader(bytes: Uint8Array, fileSize: number): Header & { type: BasemapTileType } {
  if (bytes.length < PMTILES_HEADER_BYTES) throw new BasemapError('shorter than a PMTiles header');
  if (new TextDecoder().decode(bytes.subarray(0, MAGIC.length)) !== MAGIC) {
    throw new BasemapError('not a PMTiles archive (bad magic)');
  }
  if (bytes[7] !== 3) throw new BasemapError(`PMTiles spec version ${bytes[7]}; version 3 is supported`);
  const copy = bytes.slice(0, PMTILES_HEADER_BYTES);
  const header = bytesToHeader(copy.buffer);
  const type = tileTypes[header.tileType];
  if (!type) throw new BasemapError(`tile type ${header.tileType} cannot be drawn by the map`);
  if (header.minZoom > header.maxZoom) throw new BasemapError('min zoom above max zoom');
  for (const [offset, length] of [
    [header.rootDirectoryOffset, header.rootDirectoryLength],
    [header.jsonMetadataOffset, header.jsonMetadataLength],
  ] as const) {
    if (offset + length > fileSize) throw new BasemapError('a section runs past the end of the file');
  }
  return { ...header, type };
}

/** Layer ids from a vector archive's metadata JSON (`vector_layers[].id`). */
export function vectorLayerIds(metadata: unknown): string[] {
  const layers = (metadata as { vector_layers?: unknown } | null)?.vector_layers;
  if (!Array.isArray(layers)) return [];
  return layers
    .map((l) => (l as { id?: unknown } | null)?.id)
    .filter((id): id is string => typeof id === 'string' && id.length > 0 && id.length <= 200);
}

/** Decodes the metadata section: stored raw (compression 1) or gzip (2); other codecs: none known. */
export function decodeMetadata(bytes: Uint8Array, internalCompression: number): unknown {
  if (internalCompression !== 1 && internalCompression !== 2) return null;
  const raw = internalCompression === 2 ? gunzipSync(bytes) : bytes;
  try {
    return JSON.parse(new TextDecoder().decode(raw));
  } catch {
    throw new BasemapError('metadata is not JSON');
  }
}

/** Opens a PMTiles file once at startup and summarises it; a bad file is a configuration error. */
export async function readBasemapSummary(path: string): Promise<BasemapSummary> {
  const fh = await open(path, 'r').catch((err: NodeJS.ErrnoException) => {
    throw new BasemapError(`cannot open ${path}: ${err.code ?? err.message}`);
  });
  try {
    const { size } = await fh.stat();
    const head = new Uint8Array(PMTILES_HEADER_BYTES);
    await fh.read(head, 0, PMTILES_HEADER_BYTES, 0);
    const header = parseBasemapHeader(head, size);
    let vectorLayers: string[] = [];
    if (header.type === 'mvt' && header.jsonMetadataLength > 0) {
      if (header.jsonMetadataLength > MAX_METADATA_BYTES) throw new BasemapError('metadata too large');
      const meta = new Uint8Array(header.jsonMetadataLength);
      await fh.read(meta, 0, meta.length, header.jsonMetadataOffset);
      vectorLayers = vectorLayerIds(decodeMetadata(meta, header.internalCompression));
    }
    return {
      tileType: header.type,
      minZoom: header.minZoom,
      maxZoom: header.maxZoom,
      bounds: [header.minLon, header.minLat, header.maxLon, header.maxLat],
      vectorLayers,
    };
  } finally {
    await fh.close();
  }
}
