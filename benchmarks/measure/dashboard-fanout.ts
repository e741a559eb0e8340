import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import mqtt from 'mqtt';
import { topics } from '../../protocol/index.ts';
import { generateNetwork } from '../../simulators/index.ts';
import { LatencyHistogram, summarize } from '../lib/percentiles.ts';
import { profiles } from '../load/profiles.ts';
import { SocketFleet } from '../load/socket-fleet.ts';
import { clientRates, type SocketTotals } from '../load/socket-stats.ts';
import { type ViewMix, viewClasses, viewportMix } from '../load/socket-viewports.ts';
import { byComponent, topFunctions } from '../report/cpu-profile.ts';
import type { DashboardClientFigure, DashboardFanoutFigure } from '../report/results.ts';
import { spawnTarget } from '../target/spawn-target.ts';
import {
  launchChromium,
  readBrowserLatency,
  signedInContext,
  startBrowserLatency,
  waitForApp,
} from './dashboard-browser.ts';
import { dashboardFeed, feedRates } from './dashboard-feed.ts';
import type { FeedProgress } from './dashboard-feed-worker.ts';
import { type DashboardSession, startDashboardSession } from './dashboard-session.ts';

const BARE_AEDES = fileURLToPath(new URL('../target/bare-aedes.ts', import.meta.url));
const FEED = fileURLToPath(new URL('./dashboard-feed-worker.ts', import.meta.url));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface FanoutPlan {
  readonly intersections: number;
  readonly clients: number;
  readonly children: number;
  readonly rampPerSec: number;
  readonly mix?: ViewMix;
  /** Feed running before the baseline window opens (live state filled, JIT warm). */
  readonly warmupS: number;
  readonly baselineS: number;
  /** After the last client had its first snapshot, before the window opens. */
  readonly settleS: number;
  readonly seconds: number;
  /** A separate window under the V8 sampling profiler (0: none). */
  readonly profileS: number;
  /** Publish → browser latency window in headless Chromium (0: none). */
  readonly browserS: number;
  readonly feedConnections?: number;
  /** Every n-th client is a full socket.io-client that decodes and times latency; the rest frame only. */
  readonly decodeEvery?: number;
}

/** CPU (cores) and RSS of a process over a window; RSS sampled every second. */
async function measureProcess(
  target: { cpuMs(): Promise<number>; rss(): Promise<number> },
  seconds: number,
): Promise<{ cores: number; rssMb: number; peakRssMb: number; seconds: number }> {
  const c0 = await target.cpuMs();
  const t0 = performance.now();
  let peak = 0;
  let sum = 0;
  for (let s = 0; s < seconds; s++) {
    await sleep(Math.max(0, t0 + (s + 1) * 1000 - performance.now()));
    const rss = await target.rss();
    peak = Math.max(peak, rss);
    sum += rss;
  }
  const wallMs = performance.now() - t0;
  const cpu = (await target.cpuMs()) - c0;
  return {
    cores: cpu / wallMs,
    rssMb: sum / Math.max(1, seconds) / 2 ** 20,
    peakRssMb: peak / 2 ** 20,
    seconds: wallMs / 1000,
  };
}

/** A bare MQTT subscriber on the signal states: publish → receive, the latency floor. */
async function bareSubscriber(url: string) {
  const client = await mqtt.connectAsync(url, {
    clientId: `bench-bare-sub-${process.pid}`,
    protocolVersion: 4,
  });
  let h = new LatencyHistogram();
  client.on('message', (_topic, payload) => {
    const now = Date.now();
    const ts = (JSON.parse(payload.toString()) as { ts?: number }).ts;
    if (typeof ts === 'number') h.record(Math.max(0, now - ts));
  });
  await client.subscribeAsync(topics.signalState.filter, { qos: topics.signalState.qos });
  return {
    reset: () => {
      h = new LatencyHistogram();
    },
    summary: () => h.summary(),
    close: () => client.endAsync(),
  };
}

function startFeed(url: string, intersections: number, connections: number) {
  const child: ChildProcess = fork(FEED, [], {
    execArgv: ['--import', 'tsx'],
    env: {
      ...process.env,
      FEED_URL: url,
      FEED_INTERSECTIONS: String(intersections),
      FEED_CONNECTIONS: String(connections),
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let last: FeedProgress = { type: 'progress', sent: 0, errors: 0 };
  const ready = new Promise<void>((resolve, reject) => {
    child.on('message', (m: FeedProgress) => {
      last = m;
      if (m.type === 'ready') resolve();
    });
    child.once('exit', (code) => reject(new Error(`feed exited with ${code} before it was ready`)));
  });
  return {
    ready,
    sent: () => last.sent,
    errors: () => last.errors,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        if (child.connected) child.send({ cmd: 'stop' });
        else child.kill('SIGTERM');
      }),
  };
}

/** The real web app in headless Chromium as one more client: publish → its store, ms. */
async function browserLatency(
  url: string,
  cookie: string,
  seconds: number,
  bare: { reset(): void; summary(): ReturnType<LatencyHistogram['summary']> },
): Promise<NonNullable<DashboardFanoutFigure['browser']>> {
  const chromium = await launchChromium();
  try {
    const context = await signedInContext(chromium, url, cookie);
    const page = await context.newPage();
    await page.goto(url, { timeout: 120_000 });
    await waitForApp(page);
    await sleep(3000);
    await startBrowserLatency(page);
    bare.reset();
    await sleep(seconds * 1000);
    const samples = await readBrowserLatency(page);
    await context.close();
    return {
      latencyMs: summarize(samples),
      baselineLatencyMs: bare.summary(),
      seconds,
      note: 'the real web app (whole-city view as it opens), new signal states timed as its store applies them',
    };
  } finally {
    await chromium.close();
  }
}

function perClass(before: SocketTotals, after: SocketTotals, elapsedMs: number) {
  const fig = (b: SocketTotals['all'], a: SocketTotals['all']): DashboardClientFigure => {
    const r = clientRates(b, a, elapsedMs);
    return {
      clients: r.clients,
      deltasPerSec: r.deltasPerSecPerClient,
      bytesPerSec: r.bytesPerSecPerClient,
      resyncs: r.resyncs,
    };
  };
  const out: Record<string, DashboardClientFigure> = { all: fig(before.all, after.all) };
  for (const c of viewClasses) out[c] = fig(before.byClass[c], after.byClass[c]);
  return out as DashboardFanoutFigure['perClient'];
}

/**
 * Dashboard fan-out and publish → client latency, in one run:
 * 1. a bare aedes broker, the dashboard server (own process, its live state subscribed to the
 *    broker) on a generated `intersections` network, and a feed child publishing at the `moscow`
 *    profile's rates on that network's ids;
 * 2. baseline window: the same server and feed with ONE whole-city client;
 * 3. `clients` socket.io clients (children, session cookies, viewport mix) open; measured window:
 *    server CPU and memory, per-client deltas/s and bytes/s, resyncs, publish → client latency
 *    of every new signal state, and a bare MQTT subscriber's publish → receive on the same broker;
 * 4. optionally a profiled window, then the real web app in headless Chromium under the same load.
 */
export async function dashboardFanout(
  plan: FanoutPlan,
  log: (m: string) => void = () => {},
): Promise<DashboardFanoutFigure> {
  const network = generateNetwork({ intersections: plan.intersections, seed: 1 });
  const rates = feedRates(dashboardFeed(network, profiles.moscow));
  const xs = network.intersections.map((i) => i.position[0]);
  const ys = network.intersections.map((i) => i.position[1]);
  const bbox = [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)] as const;
  const broker = await spawnTarget<{ mqttPort: number }>(BARE_AEDES);
  const mqttUrl = `mqtt://127.0.0.1:${broker.info.mqttPort}`;
  let session: DashboardSession | null = null;
  let feed: ReturnType<typeof startFeed> | null = null;
  let fleet: SocketFleet | null = null;
  let one: SocketFleet | null = null;
  let bare: Awaited<ReturnType<typeof bareSubscriber>> | null = null;
  try {
    session = await startDashboardSession({
      intersections: plan.intersections,
      mqttUrl,
      web: plan.browserS > 0,
    });
    const s = session;
    const cookies = [
      await s.login(s.operators[0] as { name: string; password: string }),
      await s.login(s.operators[1] as { name: string; password: string }),
    ];
    feed = startFeed(mqttUrl, plan.intersections, plan.feedConnections ?? 4);
    await feed.ready;
    bare = await bareSubscriber(mqttUrl);
    log(`dashboard fan-out: feed on, warming up ${plan.warmupS} s`);
    await sleep(plan.warmupS * 1000);

    // Baseline: the same server and feed with one whole-city client.
    one = SocketFleet.start({
      url: s.url,
      cookies,
      views: [{ viewClass: 'city', viewport: { bbox: [...bbox], zoom: 12 } }],
      children: 1,
      rampPerSec: 10,
    });
    await one.waitReady(1, 30_000);
    await sleep(2000);
    const base = await measureProcess(s.target, plan.baselineS);
    await one.close();
    one = null;
    log(`dashboard fan-out: baseline ${base.cores.toFixed(3)} cores with 1 client; opening ${plan.clients}`);

    const views = viewportMix(bbox, plan.clients, 7, plan.mix);
    fleet = SocketFleet.start({
      url: s.url,
      cookies,
      views,
      children: plan.children,
      rampPerSec: plan.rampPerSec,
      ...(plan.decodeEvery ? { decodeEvery: plan.decodeEvery } : {}),
    });
    const deadline = Date.now() + 60_000 + (plan.clients * 1000) / plan.rampPerSec;
    let readyTotals = await fleet.report();
    for (let polls = 1; readyTotals.all.ready < plan.clients && Date.now() < deadline; polls++) {
      await sleep(1000);
      readyTotals = fleet.totals();
      if (polls % 5 !== 0) continue;
      const st = await s.stats();
      log(
        `dashboard fan-out: ${readyTotals.all.ready}/${plan.clients} clients have a snapshot; server sockets ${st.sockets}, ` +
          `connect errors ${readyTotals.all.connectErrors}, disconnects ${readyTotals.all.disconnects}, event loop p99 ${st.eventLoopDelayMs.p99.toFixed(0)} ms` +
          (readyTotals.firstError ? `, first error: ${readyTotals.firstError}` : ''),
      );
    }
    await sleep(plan.settleS * 1000);
    fleet.resetLatency();
    bare.reset();
    await s.stats(); // resets the event-loop delay histogram
    const before = await fleet.report();
    const sent0 = feed.sent();
    const t0 = performance.now();
    const loaded = await measureProcess(s.target, plan.seconds);
    const after = await fleet.report();
    const elapsedMs = performance.now() - t0;
    const published = ((feed.sent() - sent0) * 1000) / elapsedMs;
    const baselineLatencyMs = bare.summary();
    const { eventLoopDelayMs } = await s.stats();
    log(`dashboard fan-out: ${loaded.cores.toFixed(3)} cores with ${after.all.ready} clients`);

    let cpuProfile: DashboardFanoutFigure['cpuProfile'];
    if (plan.profileS > 0) {
      await s.profileStart();
      await sleep(plan.profileS * 1000);
      const profile = await s.profileStop();
      cpuProfile = { top: topFunctions(profile, 15), components: byComponent(profile) };
    }

    let browser: DashboardFanoutFigure['browser'];
    let browserError: string | undefined;
    if (plan.browserS > 0) {
      log('dashboard fan-out: Chromium under the same load');
      browser = await browserLatency(s.url, cookies[0] as string, plan.browserS, bare).catch(
        (err: unknown) => {
          browserError = err instanceof Error ? (err.message.split('\n')[0] ?? err.message) : String(err);
          return undefined;
        },
      );
    }

    const server = await s.stats();
    const latency = LatencyHistogram.from(after.latency).summary();
    const marginalCores = (loaded.cores - base.cores) / Math.max(1, after.all.ready - 1);
    return {
      intersections: network.intersections.length,
      links: network.links.length,
      clients: plan.clients,
      readyClients: readyTotals.all.ready,
      decodingClients: after.all.decoding,
      feed: {
        description:
          "real MQTT publishes (QoS 1) from a child process through a bare aedes broker in its own process, at the moscow profile's rates on the network's own ids (4 connections: the platform broker with 20,000 device connections, ingest and InfluxDB do not fit the 2 cores next to 500 clients)",
        offeredMsgsPerSec: rates.msgsPerSec,
        offeredReadingsPerSec: rates.readingsPerSec,
        publishedMsgsPerSec: published,
      },
      seconds: loaded.seconds,
      serverCores: loaded.cores,
      serverRssMb: loaded.rssMb,
      serverPeakRssMb: loaded.peakRssMb,
      eventLoopDelayMs,
      baseline: { clients: 1, serverCores: base.cores, serverRssMb: base.rssMb, seconds: base.seconds },
      ratio: loaded.cores / base.cores,
      marginalCoresPerClient: marginalCores,
      marginalKbPerClient: ((loaded.rssMb - base.rssMb) * 1024) / Math.max(1, after.all.ready - 1),
      perClient: perClass(before, after, elapsedMs),
      resyncs: { clients: after.all.resyncs, server: server.resyncs },
      disconnects: after.all.disconnects,
      connectErrors: after.all.connectErrors,
      latencyMs: latency,
      baselineLatencyMs,
      ...(browser ? { browser } : {}),
      ...(cpuProfile ? { cpuProfile } : {}),
      ...(after.firstError || browserError
        ? {
            note: [
              after.firstError && `first client error: ${after.firstError}`,
              browserError && `Chromium latency not measured: ${browserError}`,
            ]
              .filter(Boolean)
              .join('; '),
          }
        : {}),
    };
  } finally {
    await one?.close();
    await fleet?.close();
    await bare?.close();
    await feed?.stop();
    await session?.close();
    await broker.stop();
  }
}
