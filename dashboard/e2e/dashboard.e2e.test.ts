import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { colors } from '../web/src/map-style.ts';
import {
  collectPageErrors,
  colourDistance,
  launchChromium,
  login,
  pixelAt,
  rgb,
  waitForRendered,
} from './browser.ts';
import { startTestCity, type TestCity } from './test-city.ts';

// The operations dashboard in real headless Chromium against the running platform with the
// simulated city: nothing here is mocked; the signals, cameras and meters are the simulator's.

let city: TestCity;
let browser: Browser;

beforeAll(async () => {
  city = await startTestCity({ intersections: 9 });
  browser = await launchChromium();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await city?.stop();
}, 120_000);

// One signed-in browser context per role, shared by the tests: the server allows only a few
// logins per minute from one address (and that limit is part of what keeps passwords safe).
const sessions = new Map<string, BrowserContext>();

async function signedIn(who: 'admin' | 'operator' | 'viewer'): Promise<{ page: Page; errors: string[] }> {
  let context = sessions.get(who);
  const fresh = context === undefined;
  context ??= await browser.newContext({ viewport: { width: 1366, height: 850 } });
  sessions.set(who, context);
  const page = await context.newPage();
  const errors = collectPageErrors(page);
  if (fresh) {
    const u = city.users[who];
    await login(page, city.baseUrl, u.name, u.password);
  } else {
    await page.goto(city.baseUrl);
    await page.locator('#who').waitFor();
  }
  return { page, errors };
}

/** An intersection that is on screen and whose live state has arrived. */
async function liveIntersection(page: Page): Promise<{ id: string; position: [number, number] }> {
  const handle = await page.waitForFunction(
    () => {
      const d = window.cityDashboard;
      if (!d) return null;
      for (const f of d.network.all('intersections')) {
        const item = d.store.intersections.get(f.id);
        if (item?.interval) return { id: f.id, position: f.position };
      }
      return null;
    },
    undefined,
    { timeout: 90_000, polling: 500 },
  );
  return (await handle.jsonValue()) as { id: string; position: [number, number] };
}

describe('operations dashboard', () => {
  it('signs in with the login form and draws the network on the WebGL map', async () => {
    const { page, errors } = await signedIn('viewer');
    try {
      expect(await page.locator('#who').textContent()).toContain('viewer');
      expect(await waitForRendered(page, 'links')).toBeGreaterThan(0);
      expect(await waitForRendered(page, 'intersections')).toBeGreaterThan(0);
      // The pixels are really there: a road link is not background-coloured.
      const link = await page.evaluate(() => window.cityDashboard?.network.all('links')[0]?.position);
      expect(link).toBeDefined();
      const linkPixel = await pixelAt(page, link as [number, number]);
      expect(colourDistance(linkPixel, rgb(colors.background))).toBeGreaterThan(30);
      // No console errors: a CSP violation, a missing worker or a failed request would show here.
      // (The one 401 is the page asking /api/me before anyone signed in.)
      expect(errors.filter((e) => !e.includes('status of 401'))).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('recolours a signal when its live state changes', async () => {
    const { page } = await signedIn('viewer');
    try {
      await waitForRendered(page, 'intersections');
      const ix = await liveIntersection(page);
      await page.evaluate((p) => window.cityDashboard?.map.jumpTo({ center: p, zoom: 16 }), ix.position);
      const first = await page.evaluate(
        (id) => window.cityDashboard?.store.intersections.get(id)?.interval,
        ix.id,
      );
      // Wait for the simulated controller to move to another interval (green → yellow → all-red).
      const next = await page.waitForFunction(
        ([id, was]) => {
          const now = window.cityDashboard?.store.intersections.get(id as string)?.interval;
          return now && now !== was ? now : null;
        },
        [ix.id, first],
        { timeout: 120_000, polling: 200 },
      );
      const interval = (await next.jsonValue()) as keyof typeof colors.interval;
      // The drawn circle takes the new interval's colour (read back from the canvas).
      const want = rgb(colors.interval[interval]);
      const drawn = await page.waitForFunction(
        ([p, w]) => {
          const map = window.cityDashboard?.map;
          if (!map) return null;
          const pt = map.project(p as [number, number]);
          const canvas = map.getCanvas();
          const ratio = canvas.width / canvas.clientWidth;
          const c = document.createElement('canvas');
          c.width = 1;
          c.height = 1;
          const ctx = c.getContext('2d');
          ctx?.drawImage(canvas, Math.round(pt.x * ratio), Math.round(pt.y * ratio), 1, 1, 0, 0, 1, 1);
          const d = ctx?.getImageData(0, 0, 1, 1).data;
          if (!d) return null;
          const wc = w as number[];
          const dist = Math.max(
            Math.abs((d[0] ?? 0) - (wc[0] ?? 0)),
            Math.abs((d[1] ?? 0) - (wc[1] ?? 0)),
            Math.abs((d[2] ?? 0) - (wc[2] ?? 0)),
          );
          return dist <= 40 ? [d[0], d[1], d[2]] : null;
        },
        [ix.position, want],
        { timeout: 10_000, polling: 100 },
      );
      expect(await drawn.jsonValue()).toBeTruthy();
      expect(first).not.toBe(interval);
    } finally {
      await page.close();
    }
  }, 200_000);

  it('opens the side panel on a click and shows a history chart', async () => {
    const { page } = await signedIn('viewer');
    try {
      await waitForRendered(page, 'intersections');
      const ix = await liveIntersection(page);
      await page.evaluate((p) => window.cityDashboard?.map.jumpTo({ center: p, zoom: 16 }), ix.position);
      await page.evaluate(() => new Promise((r) => window.cityDashboard?.map.once('idle', r)));
      // Click the signal where the map drew it (the point is computed right before the click, and
      // relative to the canvas, so a banner appearing above the map cannot shift the target).
      const pt = await page.evaluate((p) => window.cityDashboard?.map.project(p), ix.position);
      expect(pt).toBeTruthy();
      await page.locator('#map canvas').click({ position: { x: pt?.x ?? 0, y: pt?.y ?? 0 } });
      await page.locator(`aside[data-intersection="${ix.id}"]`).waitFor({ timeout: 10_000 });
      // The phase bar shows the running plan once the control loop has decided this junction: at
      // its first cycle boundary after the platform started (generated cycles are up to 120 s).
      await page.locator('.phase-part').first().waitFor({ timeout: 150_000 });
      // History comes from InfluxDB; the simulator's counts arrive within a minute. Re-ask until then.
      const deadline = Date.now() + 120_000;
      let points = 0;
      while (Date.now() < deadline) {
        points = Number((await page.locator('.chart').first().getAttribute('data-points')) ?? 0);
        if (points > 0) break;
        await page.waitForTimeout(5000);
        await page.getByRole('button', { name: 'Last day' }).click();
        await page.getByRole('button', { name: 'Last hour' }).click();
      }
      expect(points).toBeGreaterThan(0);
      expect(await page.locator('.chart canvas').count()).toBeGreaterThan(0);
      // Esc closes the panel.
      await page.keyboard.press('Escape');
      await page.locator('aside[data-intersection]').waitFor({ state: 'detached' });
    } finally {
      await page.close();
    }
  }, 400_000);

  it('shows a stale-data banner while disconnected and recovers on its own', async () => {
    const { page } = await signedIn('viewer');
    try {
      await liveIntersection(page);
      await page.locator('#stale-banner').waitFor({ state: 'hidden', timeout: 30_000 });
      await page.context().setOffline(true);
      await page.locator('#stale-banner').waitFor({ state: 'visible', timeout: 60_000 });
      expect(await page.locator('#stale-banner').textContent()).toContain('Disconnected');
      expect(await page.locator('#health').getAttribute('data-status')).toBe('disconnected');
      await page.context().setOffline(false);
      // socket.io reconnects, sends the viewport again and the server answers with a snapshot.
      await page.locator('#stale-banner').waitFor({ state: 'hidden', timeout: 60_000 });
      expect(await page.locator('#health').getAttribute('data-status')).not.toBe('disconnected');
    } finally {
      await page.context().setOffline(false);
      await page.close();
    }
  }, 180_000);

  it('refuses a viewer: no override controls, and the API answers 403', async () => {
    const { page } = await signedIn('viewer');
    try {
      const ix = await liveIntersection(page);
      await page.evaluate((id) => window.cityDashboard?.select({ kind: 'intersection', id }), ix.id);
      await page.locator('.phase-bar').waitFor();
      await page.locator('.facts dd').first().waitFor();
      expect(await page.locator('#override-open').count()).toBe(0);
      const status = await page.evaluate(async (id) => {
        const res = await fetch('/api/overrides', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ intersectionId: id, kind: 'flash', minutes: 5, reason: 'viewer tries' }),
        });
        return res.status;
      }, ix.id);
      expect(status).toBe(403);
    } finally {
      await page.close();
    }
  });

  it('sends an operator override to the simulated controller and records it in the audit log', async () => {
    const { page } = await signedIn('operator');
    try {
      const ix = await liveIntersection(page);
      await page.evaluate((id) => window.cityDashboard?.select({ kind: 'intersection', id }), ix.id);
      await page.locator('#override-open').click();
      await page.locator('#ov-kind').selectOption('flash');
      await page.locator('#ov-minutes').fill('5');
      await page.locator('#ov-reason').fill('e2e: flash for road works');
      await page.locator('#ov-review').click();
      expect(await page.locator('.confirm-text').textContent()).toContain('flash yellow for 5 min');
      await page.locator('#ov-confirm').click();
      await page.locator('dialog.override-dialog').waitFor({ state: 'detached' });
      await page.locator('.override-active').waitFor({ timeout: 15_000 });
      // The simulated controller takes the plan (at its next cycle boundary) and reports flash.
      await page.waitForFunction(
        (id) => {
          const item = window.cityDashboard?.store.intersections.get(id);
          return item?.mode === 'flash';
        },
        ix.id,
        { timeout: 200_000, polling: 500 },
      );
      await page.locator('#audit-open').click();
      const row = page.locator('#audit-dialog tr[data-action="override.create"]').filter({ hasText: ix.id });
      await row.first().waitFor({ timeout: 15_000 });
      expect(await row.first().textContent()).toContain('e2e-operator');
      await page.keyboard.press('Escape');
      // Clean up: cancel the override.
      await page.getByRole('button', { name: 'Cancel override' }).click();
      await page.locator('.override-active').waitFor({ state: 'detached', timeout: 15_000 });
    } finally {
      await page.close();
    }
  }, 300_000);
});
