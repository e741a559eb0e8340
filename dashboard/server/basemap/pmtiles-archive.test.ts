import { gzipSync } from 'node:zlib';
import { PMTiles, type Source } from 'pmtiles';
import { describe, expect, it } from 'vitest';
import { BasemapError, decodeMetadata, parseBasemapHeader, vectorLayerIds } from './pmtiles-archive.ts';
import { tinyPmtiles } from './tiny-pmtiles.ts';

const tile = (n: number) => Uint8Array.from({ length: 10 + n }, (_, i) => (i * 7 + n) % 256);
const archive = tinyPmtiles({
  tileType: 1,
  tiles: [
    { z: 0, x: 0, y: 0, data: tile(0) },
    { z: 1, x: 1, y: 0, data: tile(1) },
    { z: 1, x: 0, y: 1, data: tile(2) },
  ],
  metadata: { vector_layers: [{ id: 'roads' }, { id: 'water' }] },
  bounds: [37.3, 55.5, 37.9, 56],
});

const memory = (bytes: Uint8Array): Source => ({
  getKey: () => 'memory',
  getBytes: async (offset, length) => ({ data: bytes.slice(offset, offset + length).buffer }),
});

describe('tinyPmtiles', () => {
  it('writes an archive the pmtiles reader finds every tile in', async () => {
    const p = new PMTiles(memory(archive));
    expect(new Uint8Array((await p.getZxy(1, 0, 1))?.data ?? new ArrayBuffer(0))).toEqual(tile(2));
    expect(new Uint8Array((await p.getZxy(0, 0, 0))?.data ?? new ArrayBuffer(0))).toEqual(tile(0));
    expect(await p.getZxy(1, 1, 1)).toBeUndefined();
    expect(await p.getMetadata()).toEqual({ vector_layers: [{ id: 'roads' }, { id: 'water' }] });
  });
});

describe('parseBasemapHeader', () => {
  it('reads type, zooms and bounds of a v3 archive', () => {
    const h = parseBasemapHeader(archive, archive.length);
    expect(h.type).toBe('mvt');
    expect([h.minZoom, h.maxZoom]).toEqual([0, 1]);
    expect(h.minLon).toBeCloseTo(37.3, 6);
    expect(h.maxLat).toBeCloseTo(56, 6);
  });

  it('refuses a file that is not PMTiles', () => {
    const junk = new TextEncoder().encode('GIF89a'.padEnd(200, 'x'));
    expect(() => parseBasemapHeader(junk, junk.length)).toThrow(BasemapError);
  });

  it('refuses another spec version', () => {
    const v2 = tinyPmtiles({ tileType: 2, tiles: [{ z: 0, x: 0, y: 0, data: tile(0) }], version: 2 });
    expect(() => parseBasemapHeader(v2, v2.length)).toThrow(/version 2/);
  });

  it('refuses a truncated archive', () => {
    expect(() => parseBasemapHeader(archive, 140)).toThrow(/past the end/);
  });
});

describe('metadata', () => {
  it('decodes raw and gzip metadata, and lists vector layer ids', () => {
    const json = new TextEncoder().encode('{"vector_layers":[{"id":"a"},{"id":7},{}]}');
    expect(vectorLayerIds(decodeMetadata(json, 1))).toEqual(['a']);
    expect(vectorLayerIds(decodeMetadata(gzipSync(json), 2))).toEqual(['a']);
  });

  it('knows no layers when the metadata says none', () => {
    expect(vectorLayerIds({})).toEqual([]);
    expect(vectorLayerIds(null)).toEqual([]);
  });
});
