import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import pino from 'pino';
import { startCpuProfile, stopCpuProfile } from '../../../benchmarks/target/cpu-profiler.ts';
import { Registry } from '../../../broker/registry.ts';
import { enforceEnvelope } from '../../../control/index.ts';
import { generateNetwork } from '../../../simulators/index.ts';
import { webDistDir } from '../../web/build.ts';
import { buildDashboard } from '../build-dashboard.ts';
import { systemClock } from '../clock.ts';
import { LiveState } from '../live/live-state.ts';
import { connectDashboardMqtt, type DashboardMqtt } from '../live/mqtt-feed.ts';

/**
 * The dashboard server alone in its own process, for the load benchmarks (benchmarks/measure/
 * dashboard-*.ts): the same parts dashboard/main.ts wires, on a generated network of
 * BENCH_INTERSECTIONS junctions (seed BENCH_SEED), serving the built web app, with its operators
 * already in BENCH_DATA_DIR/registry.sqlite. With BENCH_MQTT_URL its live state is fed from that
 * broker. Its CPU and memory are then its own. Answers `{type:'ready', info:{httpUrl}}` over IPC;
 * commands: `stats`, `profile-start`, `profile-stop`, `stop`.
 */
const dataDir = process.env.BENCH_DATA_DIR ?? '.data/bench-dashboard';
const network = generateNetwork({
  intersections: Number(process.env.BENCH_INTERSECTIONS ?? 4000),
  seed: Number(process.env.BENCH_SEED ?? 1),
});
const logger = pino({ level: process.env.BENCH_LOG_LEVEL ?? 'warn' }, pino.destination(2));
const registry = Registry.open(join(dataDir, 'registry.sqlite'));
const live = new LiveState(network);
const mqtt: DashboardMqtt | null = process.env.BENCH_MQTT_URL
  ? connectDashboardMqtt({
      url: process.env.BENCH_MQTT_URL,
      // The benchmark's broker is bare aedes: any account connects.
      id: 'dashboard-bench',
      secret: 'dashboard-bench',
      live,
      clock: systemClock,
      logger,
    })
  : null;
const app = await buildDashboard({
  registry,
  network,
  influx: { url: 'http://127.0.0.1:9', db: 'bench' },
  live,
  auditDbPath: join(dataDir, 'audit.sqlite'),
  publishPlan: async () => {
    throw new Error('the benchmark dashboard publishes no plans');
  },
  envelope: enforceEnvelope,
  clock: systemClock,
  logger,
  cookieSecret: 'bench-cookie-secret-long-enough-0123456789',
  staticDir: webDistDir,
  // The render benchmark signs a fresh browser in per repetition.
  loginRateLimit: { max: 1000, timeWindowMs: 60_000 },
});
await app.listen({ port: 0, host: '127.0.0.1' });
const addr = app.server.address();
const port = typeof addr === 'object' && addr ? addr.port : 0;
process.send?.({
  type: 'ready',
  info: {
    httpUrl: `http://127.0.0.1:${port}`,
    intersections: network.intersections.length,
    links: network.links.length,
  },
});

const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();

/**
 * What the server itself knows: live-state sequence, connected sockets, resyncs it decided, and
 * its event-loop delay since the previous call (ms; a busy loop delays every socket write).
 */
function stats() {
  const eventLoopDelayMs = {
    p50: loopDelay.percentile(50) / 1e6,
    p99: loopDelay.percentile(99) / 1e6,
    max: loopDelay.max / 1e6,
  };
  loopDelay.reset();
  let resyncs = 0;
  let sockets = 0;
  for (const s of app.liveSocket.io.of('/').sockets.values()) {
    sockets += 1;
    resyncs += s.data.stream?.resyncs ?? 0;
  }
  return {
    seq: live.seq,
    sockets,
    resyncs,
    feedConnected: live.feedConnected,
    skipped: mqtt?.skipped ?? {},
    eventLoopDelayMs,
  };
}

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await app.close();
  await mqtt?.close();
  registry.close();
  process.exit(0);
}

process.on('message', (m: { cmd: string }) => {
  if (m.cmd === 'stats') process.send?.({ type: 'stats', stats: stats() });
  else if (m.cmd === 'profile-start')
    void startCpuProfile().then(() => process.send?.({ type: 'profile-started' }));
  else if (m.cmd === 'profile-stop')
    void stopCpuProfile().then((profile) => process.send?.({ type: 'profile', profile }));
  else if (m.cmd === 'stop') void stop();
});
process.on('disconnect', () => void stop());
