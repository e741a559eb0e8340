import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';

/** Debian's Chromium: tests never download a browser. */
export function chromiumPath(): string {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  for (const p of ['/usr/bin/chromium', '/usr/bin/chromium-browser']) if (existsSync(p)) return p;
  try {
    return execFileSync('which', ['chromium'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error(
      'Chromium not found: install it with `apt-get install chromium` (tests never download browsers)',
    );
  }
}

/** Headless Chromium with WebGL through SwiftShader (no GPU), quiet and offline-friendly. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [
      '--use-angle=swiftshader',
      '--enable-unsafe-swiftshader',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** Collects what the page complains about: console errors, uncaught exceptions, CSP violations. */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  return errors;
}

/** Signs in through the login form and waits until the map has drawn the network. */
export async function login(page: Page, baseUrl: string, name: string, password: string): Promise<void> {
  await page.goto(baseUrl);
  await page.locator('#login-name').fill(name);
  await page.locator('#login-password').fill(password);
  await page.locator('form.login-card button[type=submit]').click();
  await page.locator('#who').waitFor();
}

/** Waits until MapLibre has rendered features of `layer` (the map is a canvas: ask the map). */
export async function waitForRendered(page: Page, layer: string, timeoutMs = 60_000): Promise<number> {
  const handle = await page.waitForFunction(
    (l) => {
      const d = window.cityDashboard;
      if (!d?.map.getLayer(l)) return 0;
      return d.map.queryRenderedFeatures({ layers: [l] }).length;
    },
    layer,
    { timeout: timeoutMs, polling: 250 },
  );
  return (await handle.jsonValue()) as number;
}

/** The colour MapLibre actually drew at a map position: [r, g, b] read back from the WebGL canvas. */
export async function pixelAt(
  page: Page,
  lonLat: readonly [number, number],
): Promise<[number, number, number]> {
  return page.evaluate((ll) => {
    const map = window.cityDashboard?.map;
    if (!map) throw new Error('map not ready');
    const p = map.project([ll[0], ll[1]]);
    const canvas = map.getCanvas();
    const ratio = canvas.width / canvas.clientWidth;
    const copy = document.createElement('canvas');
    copy.width = 1;
    copy.height = 1;
    const ctx = copy.getContext('2d');
    if (!ctx) throw new Error('no 2d context');
    ctx.drawImage(canvas, Math.round(p.x * ratio), Math.round(p.y * ratio), 1, 1, 0, 0, 1, 1);
    const d = ctx.getImageData(0, 0, 1, 1).data;
    return [d[0] ?? 0, d[1] ?? 0, d[2] ?? 0] as [number, number, number];
  }, lonLat);
}

/** Parses `#rrggbb`. */
export function rgb(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** Colour distance (max channel difference): antialiasing and blending move colours a little. */
export function colourDistance(a: readonly number[], b: readonly number[]): number {
  return Math.max(...a.map((x, i) => Math.abs(x - (b[i] ?? 0))));
}
