import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { pickEncoding, staticJson } from './static-json.ts';

describe('staticJson', () => {
  const value = {
    type: 'FeatureCollection',
    features: Array.from({ length: 200 }, (_, i) => ({ id: `I${i}` })),
  };

  it('holds the same JSON plain, gzipped and brotli-compressed, the compressed forms smaller', () => {
    const s = staticJson(value);
    expect(JSON.parse(s.identity.toString())).toEqual(value);
    expect(JSON.parse(gunzipSync(s.gzip).toString())).toEqual(value);
    expect(JSON.parse(brotliDecompressSync(s.br).toString())).toEqual(value);
    expect(s.gzip.length).toBeLessThan(s.identity.length / 3);
    expect(s.br.length).toBeLessThan(s.identity.length / 3);
  });

  it('names a version by its content: same value same ETag, another value another', () => {
    expect(staticJson(value).etag).toBe(staticJson(structuredClone(value)).etag);
    expect(staticJson({ ...value, bbox: [0, 0, 1, 1] }).etag).not.toBe(staticJson(value).etag);
    expect(staticJson(value).etag).toMatch(/^"[\w-]+"$/);
  });
});

describe('pickEncoding', () => {
  it('prefers brotli, then gzip, and honours q=0 and *', () => {
    expect(pickEncoding('gzip, deflate, br, zstd')).toBe('br');
    expect(pickEncoding('gzip, deflate')).toBe('gzip');
    expect(pickEncoding('br;q=0, gzip;q=0.5')).toBe('gzip');
    expect(pickEncoding('*')).toBe('br');
    expect(pickEncoding('*, br;q=0')).toBe('gzip');
    expect(pickEncoding('identity')).toBeNull();
    expect(pickEncoding('')).toBeNull();
    expect(pickEncoding(undefined)).toBeNull();
  });
});
