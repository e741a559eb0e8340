import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  collectPageErrors,
  colourDistance,
  launchChromium,
  login,
  pixelAt,
  rgb,
  waitForRendered,
} from '../../e2e/browser.ts';
import { buildWeb, webDistDir } from '../../web/build.ts';
import { colors } from '../../web/src/map-style.ts';
import { dashboardFixture, type Fixture, PASSWORDS } from '../test-support/dashboard-fixture.ts';
import { BASEMAP_URL } from './basemap-routes.ts';
import { solidPngTile } from './png-tile.ts';
import { tinyPmtiles } from './tiny-pmtiles.ts';

// The optional basemap in real headless Chromium: the web app asks whether one is configured,
// registers the pmtiles protocol, and MapLibre reads the archive from our origin in byte ranges
// under the strict CSP, drawing it beneath our layers.

const MAGENTA: [number, number, number] = [255, 0, 255];
let dir = '';
let fx: Fixture;
let browser: Browser;
let baseUrl = '';

beforeAll(async () => {
  await buildWeb();
  dir = mkdtempSync(join(tmpdir(), 'basemap-e2e-'));
  const file = join(dir, 'city.pmtiles');
  // One z0 tile: MapLibre overzooms it, so the whole view shows it at any zoom.
  writeFileSync(
    file,
    tinyPmtiles({ tileType: 2, tiles: [{ z: 0, x: 0, y: 0, data: solidPngTile(MAGENTA) }] }),
  );
  fx = await dashboardFixture({ basemapPmtiles: file, staticDir: webDistDir });
  await fx.app.listen({ port: 0, host: '127.0.0.1' });
  baseUrl = `http://127.0.0.1:${(fx.app.server.address() as AddressInfo).port}`;
  browser = await launchChromium();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await fx?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
}, 60_000);

describe('basemap in the browser', () => {
  it('draws the local PMTiles archive under our layers, through ranged requests, with no CSP complaint', async () => {
    const context = await browser.newContext({ viewport: { width: 1000, height: 700 } });
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    const statuses: number[] = [];
    const refused: string[] = [];
    page.on('response', (r) => {
      if (r.url().endsWith(BASEMAP_URL)) statuses.push(r.status());
      if (r.status() === 401) refused.push(new URL(r.url()).pathname);
    });
    await login(page, baseUrl, 'vera', PASSWORDS.viewer);
    await waitForRendered(page, 'intersections');
    await page.waitForFunction(
      () => window.cityDashboard?.map.getLayer('basemap-raster') !== undefined,
      null,
      {
        timeout: 30_000,
      },
    );
    await page.waitForFunction(() => window.cityDashboard?.map.areTilesLoaded() === true, null, {
      timeout: 30_000,
    });

    const order = await page.evaluate(
      () => window.cityDashboard?.map.getStyle().layers.map((l) => l.id) ?? [],
    );
    expect(order.indexOf('basemap-raster')).toBeGreaterThan(order.indexOf('background'));
    expect(order.indexOf('basemap-raster')).toBeLessThan(order.indexOf('links'));
    expect(statuses.length).toBeGreaterThan(0);
    expect(statuses.every((s) => s === 206)).toBe(true);

    // A corner of the view away from the network: background plus the dimmed magenta tile.
    const corner = await page.evaluate(() => {
      const map = window.cityDashboard?.map;
      if (!map) throw new Error('no map');
      const ll = map.unproject([20, 20]);
      return [ll.lng, ll.lat] as [number, number];
    });
    const px = await pixelAt(page, corner);
    expect(colourDistance(px, rgb(colors.background))).toBeGreaterThan(40);
    expect(px[0]).toBeGreaterThan(px[1] + 20);
    // The one 401 is the app asking who is logged in before the login form (the console logs it).
    expect(refused).toEqual(['/api/me']);
    expect(errors.filter((e) => !e.includes('status of 401'))).toEqual([]);
    await context.close();
  });
});
