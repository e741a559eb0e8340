import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PMTiles, type Source } from 'pmtiles';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dashboardFixture, type Fixture, PASSWORDS } from '../test-support/dashboard-fixture.ts';
import { BASEMAP_URL } from './basemap-routes.ts';
import { tinyPmtiles } from './tiny-pmtiles.ts';

const tile = (n: number) => Uint8Array.from({ length: 40 + n }, (_, i) => (i * 13 + n) % 256);
const archive = tinyPmtiles({
  tileType: 1,
  tiles: [
    { z: 0, x: 0, y: 0, data: tile(0) },
    { z: 1, x: 1, y: 0, data: tile(1) },
  ],
  metadata: { vector_layers: [{ id: 'roads' }] },
  bounds: [37.3, 55.5, 37.9, 56],
});

let dir = '';
let file = '';
let f: Fixture | null = null;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'basemap-'));
  file = join(dir, 'city.pmtiles');
  writeFileSync(file, archive);
});
afterEach(async () => {
  await f?.close();
  f = null;
  rmSync(dir, { recursive: true, force: true });
});

async function withBasemap(): Promise<{ fx: Fixture; cookie: string }> {
  f = await dashboardFixture({ basemapPmtiles: file });
  return { fx: f, cookie: await f.login('vera', PASSWORDS.viewer) };
}

describe('basemap routes', () => {
  it('describe the configured archive', async () => {
    const { fx, cookie } = await withBasemap();
    const res = await fx.app.inject({ url: '/api/basemap', headers: { cookie } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      basemap: {
        url: BASEMAP_URL,
        tileType: 'mvt',
        minZoom: 0,
        maxZoom: 1,
        bounds: [37.3, 55.5, 37.9, 56],
        vectorLayers: ['roads'],
      },
    });
  });

  it('say none is configured when none is', async () => {
    f = await dashboardFixture();
    const cookie = await f.login('vera', PASSWORDS.viewer);
    expect((await f.app.inject({ url: '/api/basemap', headers: { cookie } })).json()).toEqual({
      basemap: null,
    });
    expect((await f.app.inject({ url: BASEMAP_URL, headers: { cookie } })).statusCode).toBe(404);
  });

  it('serve nothing without a session', async () => {
    const { fx } = await withBasemap();
    expect((await fx.app.inject({ url: BASEMAP_URL })).statusCode).toBe(401);
    expect((await fx.app.inject({ url: BASEMAP_URL, headers: { range: 'bytes=0-126' } })).statusCode).toBe(
      401,
    );
    expect((await fx.app.inject({ url: '/api/basemap' })).statusCode).toBe(401);
  });

  it('serve the whole file, and a byte range as 206 with its Content-Range', async () => {
    const { fx, cookie } = await withBasemap();
    const whole = await fx.app.inject({ url: BASEMAP_URL, headers: { cookie } });
    expect(whole.statusCode).toBe(200);
    expect(whole.headers['accept-ranges']).toBe('bytes');
    expect(whole.headers['cache-control']).toBe('private, no-cache');
    expect(new Uint8Array(whole.rawPayload)).toEqual(archive);

    const part = await fx.app.inject({ url: BASEMAP_URL, headers: { cookie, range: 'bytes=7-26' } });
    expect(part.statusCode).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 7-26/${archive.length}`);
    expect(new Uint8Array(part.rawPayload)).toEqual(archive.slice(7, 27));
  });

  it('clip a range past the end, as the pmtiles reader’s first 16 KiB request needs', async () => {
    const { fx, cookie } = await withBasemap();
    const res = await fx.app.inject({ url: BASEMAP_URL, headers: { cookie, range: 'bytes=0-16383' } });
    expect(res.statusCode).toBe(206);
    expect(res.rawPayload.length).toBe(archive.length);
  });

  it('answer 416 to a range that starts past the end', async () => {
    const { fx, cookie } = await withBasemap();
    const res = await fx.app.inject({
      url: BASEMAP_URL,
      headers: { cookie, range: `bytes=${archive.length + 10}-${archive.length + 20}` },
    });
    expect(res.statusCode).toBe(416);
    expect(res.headers['content-range']).toBe(`bytes */${archive.length}`);
  });

  it('let the pmtiles reader find tiles through ranged requests', async () => {
    const { fx, cookie } = await withBasemap();
    const ranges: string[] = [];
    const source: Source = {
      getKey: () => BASEMAP_URL,
      async getBytes(offset, length) {
        const range = `bytes=${offset}-${offset + length - 1}`;
        ranges.push(range);
        const res = await fx.app.inject({ url: BASEMAP_URL, headers: { cookie, range } });
        expect(res.statusCode).toBe(206);
        return { data: new Uint8Array(res.rawPayload).buffer };
      },
    };
    const p = new PMTiles(source);
    const got = await p.getZxy(1, 1, 0);
    expect(new Uint8Array(got?.data ?? new ArrayBuffer(0))).toEqual(tile(1));
    expect(ranges.length).toBeGreaterThanOrEqual(2);
  });

  it('refuse to build with a file that is not a PMTiles archive', async () => {
    writeFileSync(file, 'not a basemap at all'.repeat(10));
    await expect(dashboardFixture({ basemapPmtiles: file })).rejects.toThrow(/not a PMTiles archive/);
    await expect(dashboardFixture({ basemapPmtiles: join(dir, 'missing.pmtiles') })).rejects.toThrow(
      /cannot open/,
    );
  });
});
