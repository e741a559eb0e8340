import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { dashboardFixture, type Fixture, PASSWORDS } from '../test-support/dashboard-fixture.ts';

let f: Fixture | null = null;
afterEach(async () => {
  await f?.close();
  f = null;
});

type Geo = {
  bbox: number[];
  features: { geometry: { coordinates: unknown }; properties: { id: string; kind: string } }[];
};

describe('network routes', () => {
  it('serves the network compressed as the browser asks, the same JSON in every encoding', async () => {
    f = await dashboardFixture();
    const cookie = await f.login('vera', PASSWORDS.viewer);
    const plain = await f.app.inject({ url: '/api/network', headers: { cookie } });
    const gz = await f.app.inject({ url: '/api/network', headers: { cookie, 'accept-encoding': 'gzip' } });
    const br = await f.app.inject({
      url: '/api/network',
      headers: { cookie, 'accept-encoding': 'gzip, br' },
    });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers['content-type']).toMatch(/^application\/json/);
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toMatch(/accept-encoding/i);
    const json = plain.json();
    expect(JSON.parse(gunzipSync(gz.rawPayload).toString())).toEqual(json);
    expect(JSON.parse(brotliDecompressSync(br.rawPayload).toString())).toEqual(json);
  });

  it('answers 304 to the ETag it gave, per endpoint', async () => {
    f = await dashboardFixture();
    const cookie = await f.login('vera', PASSWORDS.viewer);
    const first = await f.app.inject({ url: '/api/network', headers: { cookie } });
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^"/);
    const again = await f.app.inject({ url: '/api/network', headers: { cookie, 'if-none-match': etag } });
    expect(again.statusCode).toBe(304);
    expect(again.rawPayload.length).toBe(0);
    const extras = await f.app.inject({
      url: '/api/network/extras',
      headers: { cookie, 'if-none-match': etag },
    });
    expect(extras.statusCode).toBe(200);
    expect(extras.headers.etag).not.toBe(etag);
  });

  it('rounds coordinates to 1e-5 degree, frames the whole city in both parts, and lists each id once', async () => {
    f = await dashboardFixture();
    const cookie = await f.login('vera', PASSWORDS.viewer);
    const core: Geo = (await f.app.inject({ url: '/api/network', headers: { cookie } })).json();
    const extras: Geo = (await f.app.inject({ url: '/api/network/extras', headers: { cookie } })).json();
    expect(core.bbox).toEqual(extras.bbox);
    const numbers = JSON.stringify([core.features, extras.features].flat().map((x) => x.geometry.coordinates))
      .match(/-?\d+(\.\d+)?/g)
      ?.map(Number);
    expect(numbers?.length).toBeGreaterThan(10);
    for (const x of numbers ?? []) expect(Math.abs(x * 1e5 - Math.round(x * 1e5))).toBeLessThan(1e-6);
    const keys = [core.features, extras.features]
      .flat()
      .map((x) => `${x.properties.kind}:${x.properties.id}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('keeps the network behind the session', async () => {
    f = await dashboardFixture();
    expect((await f.app.inject({ url: '/api/network/extras' })).statusCode).toBe(401);
  });
});
