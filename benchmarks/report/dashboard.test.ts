import { describe, expect, it } from 'vitest';
import { summarize } from '../lib/percentiles.ts';
import { renderDashboard } from './markdown.ts';
import type { DashboardClientFigure, DashboardFanoutFigure, DashboardRenderFigure } from './results.ts';
import { dashboardTargets } from './targets.ts';

const client = (clients: number): DashboardClientFigure => ({
  clients,
  deltasPerSec: 3.9,
  bytesPerSec: 20_480,
  resyncs: 0,
});

function fanout(over: Partial<DashboardFanoutFigure> = {}): DashboardFanoutFigure {
  return {
    intersections: 4000,
    links: 15_536,
    clients: 500,
    readyClients: 500,
    feed: {
      description: 'bare aedes',
      offeredMsgsPerSec: 7067,
      offeredReadingsPerSec: 8167,
      publishedMsgsPerSec: 7050,
    },
    seconds: 30,
    serverCores: 0.6,
    serverRssMb: 300,
    serverPeakRssMb: 320,
    eventLoopDelayMs: { p50: 12, p99: 80, max: 95 },
    baseline: { clients: 1, serverCores: 0.2, serverRssMb: 250, seconds: 20 },
    ratio: 3,
    marginalCoresPerClient: 0.0008,
    marginalKbPerClient: 100,
    perClient: { all: client(500), city: client(10), district: client(90), street: client(400) },
    resyncs: { clients: 2, server: 2 },
    disconnects: 0,
    connectErrors: 0,
    latencyMs: summarize([100, 200, 300]),
    baselineLatencyMs: summarize([1, 2, 3]),
    browser: {
      latencyMs: summarize([120, 220, 350]),
      baselineLatencyMs: summarize([1, 2, 4]),
      seconds: 30,
    },
    ...over,
  };
}

function render(over: Partial<DashboardRenderFigure> = {}): DashboardRenderFigure {
  const milestonesMs = { domReady: 100, network: 400, appReady: 900 };
  return {
    intersections: 4000,
    links: 15_536,
    runsMs: [2100, 2500, 2900],
    medianMs: 2500,
    maxMs: 2900,
    milestonesMs,
    drawn: { intersections: 4000, links: 15_536 },
    baseline: {
      intersections: 100,
      links: 426,
      runsMs: [900, 1000, 1100],
      medianMs: 1000,
      maxMs: 1100,
      milestonesMs,
    },
    ratio: 2.5,
    ...over,
  };
}

describe('dashboardTargets', () => {
  it('meets all three targets at Moscow scale when under the limits', () => {
    const t = dashboardTargets({ dashboard: { fanout: fanout(), render: render() } });
    expect(t.map((x) => x.met)).toEqual([true, true, true]);
  });

  it('misses CPU at one core or more and says by how much', () => {
    const [cpu] = dashboardTargets({ dashboard: { fanout: fanout({ serverCores: 1.3 }) } });
    expect(cpu?.met).toBe(false);
    expect(cpu?.measured).toContain('1.30× the limit');
  });

  it('misses CPU when the server could not take every client in', () => {
    const [cpu] = dashboardTargets({ dashboard: { fanout: fanout({ readyClients: 461 }) } });
    expect(cpu?.met).toBe(false);
    expect(cpu?.measured).toContain('461 of 500 clients in');
  });

  it('judges latency on the worse of Chromium and socket.io-client; without Chromium only a miss counts', () => {
    const slowNode = fanout({ latencyMs: summarize([100, 500]) });
    expect(dashboardTargets({ dashboard: { fanout: slowNode } })[1]?.met).toBe(false);
    const { browser: _, ...noBrowser } = fanout();
    expect(dashboardTargets({ dashboard: { fanout: noBrowser } })[1]?.met).toBeNull();
    const { browser: __, ...slowNoBrowser } = slowNode;
    expect(dashboardTargets({ dashboard: { fanout: slowNoBrowser } })[1]?.met).toBe(false);
  });

  it('misses the render target when any run is slower than 3 s or did not finish drawing', () => {
    expect(dashboardTargets({ dashboard: { render: render({ maxMs: 3400 }) } })[2]?.met).toBe(false);
    expect(dashboardTargets({ dashboard: { render: render({ note: '1 run(s) timed out' }) } })[2]?.met).toBe(
      false,
    );
  });

  it('leaves small scenarios (a quick run) and missing ones as not measured', () => {
    const small = dashboardTargets({
      dashboard: {
        fanout: fanout({ intersections: 100, readyClients: 10 }),
        render: render({ intersections: 100 }),
      },
    });
    expect(small.map((x) => x.met)).toEqual([null, null, null]);
    expect(dashboardTargets({}).map((x) => x.measured)).toEqual([
      'not measured',
      'not measured',
      'not measured',
    ]);
  });
});

describe('renderDashboard', () => {
  it('shows server CPU beside its one-client baseline, per-class rates and both latency rows', () => {
    const md = renderDashboard({ fanout: fanout(), render: render() }).join('\n');
    expect(md).toContain('| dashboard process CPU (cores) | 0.600 | 0.200 | 3.0× |');
    expect(md).toContain('| event-loop delay p50 / p99 / max | 12 / 80 / 95 ms |');
    expect(md).toContain('| street | 400 | 3.90 | 20.0 KB | 0 |');
    expect(md).toContain('headless Chromium, the real app');
    expect(md).toContain('2,100, 2,500, 2,900');
  });

  it('leaves out what was not measured', () => {
    const { browser: _, ...noBrowser } = fanout();
    const md = renderDashboard({ fanout: noBrowser }).join('\n');
    expect(md).not.toContain('Chromium, the real app');
    expect(md).not.toContain('first complete render');
  });
});
