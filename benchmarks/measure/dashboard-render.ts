import type { Browser } from 'playwright-core';
import type { DashboardRenderFigure } from '../report/results.ts';
import { launchChromium, type RenderTiming, signedInContext, timeFirstRender } from './dashboard-browser.ts';
import { type DashboardSession, startDashboardSession } from './dashboard-session.ts';

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};

async function renderOnce(
  browser: Browser,
  session: DashboardSession,
  cookie: string,
): Promise<RenderTiming> {
  // A fresh context per run: cold HTTP cache, as an operator opening the dashboard for the shift.
  const context = await signedInContext(browser, session.url, cookie);
  try {
    const page = await context.newPage();
    return await timeFirstRender(page, session.url, {
      intersections: session.target.info.intersections,
      links: session.target.info.links,
    });
  } finally {
    await context.close();
  }
}

/**
 * First complete map render of the real web app in headless Chromium (SwiftShader WebGL), signed
 * in already: navigation → MapLibre idle with every intersection and link drawn. Two dashboards
 * (no live feed) serve the big network and the baseline network; runs alternate between them so
 * machine noise hits both.
 */
export async function dashboardRender(o: {
  intersections: number;
  baselineIntersections: number;
  runs: number;
}): Promise<DashboardRenderFigure> {
  const big = await startDashboardSession({ intersections: o.intersections, web: true });
  let small: DashboardSession | null = null;
  let browser: Browser | null = null;
  try {
    small = await startDashboardSession({ intersections: o.baselineIntersections, web: true });
    const bigCookie = await big.login(big.operators[0] as { name: string; password: string });
    const smallCookie = await small.login(small.operators[0] as { name: string; password: string });
    browser = await launchChromium();
    // One untimed load of each warms Chromium's own start-up (GPU process, shader compiler).
    await renderOnce(browser, small, smallCookie);
    const bigRuns: RenderTiming[] = [];
    const smallRuns: RenderTiming[] = [];
    for (let r = 0; r < o.runs; r++) {
      smallRuns.push(await renderOnce(browser, small, smallCookie));
      bigRuns.push(await renderOnce(browser, big, bigCookie));
    }
    const ms = (runs: RenderTiming[]) => runs.map((r) => r.ms);
    const milestones = (runs: RenderTiming[]) => ({
      domReady: median(runs.map((r) => r.domReadyMs)),
      network: median(runs.map((r) => r.networkMs)),
      appReady: median(runs.map((r) => r.appReadyMs)),
    });
    const last = bigRuns[bigRuns.length - 1];
    const incomplete = [...bigRuns, ...smallRuns].filter((r) => !r.complete).length;
    const figure: DashboardRenderFigure = {
      intersections: big.target.info.intersections,
      links: big.target.info.links,
      runsMs: ms(bigRuns),
      medianMs: median(ms(bigRuns)),
      maxMs: Math.max(...ms(bigRuns)),
      milestonesMs: milestones(bigRuns),
      drawn: { intersections: last?.intersections ?? 0, links: last?.links ?? 0 },
      baseline: {
        intersections: small.target.info.intersections,
        links: small.target.info.links,
        runsMs: ms(smallRuns),
        medianMs: median(ms(smallRuns)),
        maxMs: Math.max(...ms(smallRuns)),
        milestonesMs: milestones(smallRuns),
      },
      ratio: median(ms(bigRuns)) / median(ms(smallRuns)),
      ...(incomplete
        ? { note: `${incomplete} run(s) timed out before everything was drawn (their time is the timeout)` }
        : {}),
    };
    return figure;
  } finally {
    await browser?.close();
    await small?.close();
    await big.close();
  }
}
