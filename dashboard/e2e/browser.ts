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
      if (!d || !d.map.loaded() || !d.map.getLayer(l)) return 0;
      const n = d.map.queryRenderedFeatures({ layers: [l] }).length;
      return n > 0 ? n : 0;
    },
    layer,
    { timeout: timeoutMs, polling: 250 },
  );
  return (await handle.jsonValue()) as number;
}
