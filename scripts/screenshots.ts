// `npm run screenshots`: regenerates docs/screenshots/*.png from the running platform with the
// simulated city (login, city map, intersection panel, building panel) in headless Chromium.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { launchChromium, login, waitForRendered } from '../dashboard/e2e/browser.ts';
import { startTestCity } from '../dashboard/e2e/test-city.ts';

const outDir = fileURLToPath(new URL('../docs/screenshots/', import.meta.url));
/** Screenshots ship in the repository: keep each one small. */
const MAX_BYTES = 500 * 1024;

async function shot(page: Page, name: string): Promise<void> {
  const path = join(outDir, `${name}.png`);
  await page.screenshot({ path });
  const bytes = statSync(path).size;
  console.log(`${path}  ${Math.round(bytes / 1024)} KB`);
  if (bytes > MAX_BYTES) throw new Error(`${name}.png is ${bytes} bytes, over ${MAX_BYTES}`);
}

/** Waits until the first chart of the side panel has points (history comes from InfluxDB). */
async function waitForChart(page: Page, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (Number((await page.locator('.chart').first().getAttribute('data-points')) ?? 0) > 0) return;
    await page.waitForTimeout(5000);
    await page.getByRole('button', { name: 'Last day' }).click();
    await page.getByRole('button', { name: 'Last hour' }).click();
  }
  console.warn('history still empty; taking the screenshot anyway');
}

const city = await startTestCity({ intersections: 16, seed: 3 });
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1366, height: 820 } });
  await page.goto(city.baseUrl);
  await page.locator('#login-name').fill(city.users.operator.name);
  await shot(page, 'login');

  await login(page, city.baseUrl, city.users.operator.name, city.users.operator.password);
  await waitForRendered(page, 'intersections');
  // Give the simulator a minute: queues build, congestion colours the roads, alerts appear.
  await page.waitForTimeout(60_000);
  await shot(page, 'city-map');

  const busiest = await page.evaluate(() => {
    const d = window.cityDashboard;
    if (!d) return null;
    const items = [...d.store.intersections.values()].sort((a, b) => b.queueVeh - a.queueVeh);
    return items[0]?.id ?? d.network.all('intersections')[0]?.id ?? null;
  });
  if (busiest) {
    await page.evaluate((id) => {
      const d = window.cityDashboard;
      const f = d?.network.get('intersections', id);
      if (f) d?.map.jumpTo({ center: f.position, zoom: 15.5 });
      d?.select({ kind: 'intersection', id });
    }, busiest);
    await page.locator('.phase-part').first().waitFor({ timeout: 30_000 });
    await waitForChart(page, 90_000);
    await page.waitForTimeout(1000);
    await shot(page, 'intersection-panel');
    await page.keyboard.press('Escape');
  }

  // A building whose meters have reported (an anomaly if there is one): that is what the panel is for.
  const building = await page.evaluate(async () => {
    const ids = (window.cityDashboard?.network.all('buildings') ?? []).slice(0, 40).map((b) => b.id);
    let reporting: string | null = null;
    for (const id of ids) {
      const res = await fetch(`/api/buildings/${encodeURIComponent(id)}`);
      if (!res.ok) continue;
      const b = (await res.json()) as { meters: { anomaly: string | null; rate: number | null }[] };
      if (b.meters.some((m) => m.anomaly !== null)) return id;
      if (reporting === null && b.meters.every((m) => m.rate !== null)) reporting = id;
    }
    return reporting ?? ids[0] ?? null;
  });
  if (building) {
    await page.evaluate((id) => {
      const d = window.cityDashboard;
      const f = d?.network.get('buildings', id);
      if (f) d?.map.jumpTo({ center: f.position, zoom: 16 });
      d?.select({ kind: 'building', id });
    }, building);
    await page.locator('aside[data-building]').waitFor();
    await waitForChart(page, 60_000);
    await page.waitForTimeout(1000);
    await shot(page, 'building-panel');
  }
} finally {
  await browser.close();
  await city.stop();
}
