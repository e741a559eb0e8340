import type { Browser, BrowserContext, Page } from 'playwright-core';

export { launchChromium } from '../../dashboard/e2e/browser.ts';

/**
 * The real web app in headless Chromium, observed from outside: the app exposes
 * `window.cityDashboard` (map, store) for the e2e tests; the benchmark reads the same handle and
 * never changes the app.
 */

/** A fresh browser context (cold cache) already signed in with `sidCookie` (`sid=…`). */
export async function signedInContext(
  browser: Browser,
  baseUrl: string,
  sidCookie: string,
): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const [name, ...rest] = sidCookie.split('=');
  await context.addCookies([{ name: name ?? 'sid', value: rest.join('='), url: baseUrl }]);
  // tsx (esbuild, keepNames) wraps named functions of evaluated code in `__name(...)`: give the
  // page a no-op one, or such code throws a ReferenceError in the browser.
  await context.addInitScript('globalThis.__name = (f) => f;');
  return context;
}

/** Waits until the app is signed in and its map handle exists; returns when (ms since navigation). */
export async function waitForApp(page: Page, timeoutMs = 120_000): Promise<number> {
  const handle = await page.waitForFunction(
    () => (window.cityDashboard !== undefined ? performance.now() : 0),
    undefined,
    { timeout: timeoutMs, polling: 'raf' },
  );
  return (await handle.jsonValue()) as number;
}

/**
 * Starts recording, inside the page, publish → store latency of every new signal state the app
 * applies: the store's `applyDelta` is wrapped on the instance (the app is not edited); an
 * intersection whose `ts` is new to the page is a sample (its `ts` is the publish time).
 */
export async function startBrowserLatency(page: Page): Promise<void> {
  await page.evaluate(() => {
    const d = window.cityDashboard;
    if (!d) throw new Error('app not ready');
    const store = d.store;
    const last = new Map<string, number>();
    const samples: number[] = [];
    for (const [id, it] of store.intersections) last.set(id, it.ts);
    const applyDelta = store.applyDelta.bind(store);
    const applySnapshot = store.applySnapshot.bind(store);
    store.applyDelta = (delta) => {
      const now = Date.now();
      const change = applyDelta(delta);
      for (const it of delta.intersections ?? []) {
        if (it.ts <= 0 || last.get(it.id) === it.ts) continue;
        last.set(it.id, it.ts);
        samples.push(Math.max(0, now - it.ts));
      }
      return change;
    };
    store.applySnapshot = (s) => {
      for (const it of s.intersections) last.set(it.id, it.ts);
      return applySnapshot(s);
    };
    (window as unknown as { __benchLatency: number[] }).__benchLatency = samples;
  });
}

export async function readBrowserLatency(page: Page): Promise<number[]> {
  return page.evaluate(() => {
    const w = window as unknown as { __benchLatency?: number[] };
    const out = w.__benchLatency ?? [];
    w.__benchLatency = [];
    return out;
  });
}

export interface RenderTiming {
  /** ms from navigation start until the map was idle with everything drawn. */
  readonly ms: number;
  /** Milestones on the way, ms since navigation start: DOM ready, `/api/network` received, map loaded (app handle set). */
  readonly domReadyMs: number;
  readonly networkMs: number;
  readonly appReadyMs: number;
  readonly intersections: number;
  readonly links: number;
  readonly complete: boolean;
}

/**
 * Navigates (already signed in) and times the first complete render: from navigation start
 * (`performance.timeOrigin`) until MapLibre is idle (style and sources loaded, no transition)
 * with every intersection and every link rendered (unique ids from `queryRenderedFeatures`).
 * The expensive count runs only when the map reports itself loaded, and at every later `idle`.
 */
export async function timeFirstRender(
  page: Page,
  url: string,
  expected: { intersections: number; links: number },
  timeoutMs = 60_000,
): Promise<RenderTiming> {
  await page.goto(url);
  const appReadyMs = await waitForApp(page, timeoutMs);
  const timing = await page.evaluate(
    ({ expected, timeoutMs }) =>
      new Promise<{ ms: number; intersections: number; links: number; complete: boolean }>((resolve) => {
        const map = window.cityDashboard?.map;
        if (!map) throw new Error('no map');
        const count = (layer: string) => {
          const ids = new Set<unknown>();
          for (const f of map.queryRenderedFeatures({ layers: [layer] })) ids.add(f.properties.id);
          return ids.size;
        };
        let done = false;
        const check = (at: number) => {
          if (done || !map.loaded() || map.isMoving() || !map.areTilesLoaded()) return;
          const intersections = count('intersections');
          const links = count('links');
          if (intersections >= expected.intersections && links >= expected.links) {
            done = true;
            resolve({ ms: at, intersections, links, complete: true });
          }
        };
        map.on('idle', () => check(performance.now()));
        check(performance.now());
        setTimeout(() => {
          if (done) return;
          done = true;
          resolve({
            ms: performance.now(),
            intersections: count('intersections'),
            links: count('links'),
            complete: false,
          });
        }, timeoutMs);
      }),
    { expected, timeoutMs },
  );
  const milestones = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
    const net = performance.getEntriesByType('resource').find((e) => e.name.endsWith('/api/network')) as
      | PerformanceResourceTiming
      | undefined;
    return {
      domReadyMs: nav?.domContentLoadedEventEnd ?? Number.NaN,
      networkMs: net?.responseEnd ?? Number.NaN,
    };
  });
  return { ...timing, ...milestones, appReadyMs };
}
