// Measures what the simulated city costs: starts real brokers (our broker with device auth and
// a schema-checking sink, no InfluxDB), each in a child process of its own, runs `city simulate`
// as a child process against them (shards round-robin over the brokers), and after the fleet
// has connected samples the simulator's CPU time (parent + shards) from /proc over a steady
// window. Writes one JSON line of results. Usage:
//   npx tsx simulators/city/measure-city.ts --intersections 400 [--meters 20000] [--window 60]
//     [--speed 1] [--shards n] [--brokers n] [--gateway-share 1] [--meters-per-gateway 50]
// One broker process holds ~19,000 sockets (`ulimit -Hn` 20,000): above that use --brokers 2+.
import { type ChildProcess, fork, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { generateNetwork } from '../network/generate-network.ts';
import type { FromBroker } from './bench/broker-process.ts';
import { processTree, treeCpuTicks, treeRssBytes } from './bench/proc-usage.ts';

const { values } = parseArgs({
  options: {
    intersections: { type: 'string', default: '100' },
    window: { type: 'string', default: '60' },
    speed: { type: 'string', default: '1' },
    shards: { type: 'string' },
    meters: { type: 'string' },
    brokers: { type: 'string', default: '1' },
    'gateway-share': { type: 'string' },
    'meters-per-gateway': { type: 'string' },
    'connect-timeout': { type: 'string', default: '180' },
  },
});
const windowS = Number(values.window);
const dir = mkdtempSync(join(tmpdir(), 'measure-city-'));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const load0 = loadavg();

// The generator's defaults put 10 % of meters on their own connection; a city whose meters all
// sit behind gateways needs its network written before `city simulate` would generate one.
if (values['gateway-share'] !== undefined || values['meters-per-gateway'] !== undefined) {
  const network = generateNetwork({
    intersections: Number(values.intersections),
    seed: 1,
    ...(values.meters === undefined ? {} : { meters: Number(values.meters) }),
    ...(values['gateway-share'] === undefined ? {} : { gatewayShare: Number(values['gateway-share']) }),
    ...(values['meters-per-gateway'] === undefined
      ? {}
      : { metersPerGateway: Number(values['meters-per-gateway']) }),
  });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'network.json'), `${JSON.stringify(network)}\n`);
}

interface BrokerChild {
  readonly child: ChildProcess;
  port: number;
  stats: Extract<FromBroker, { type: 'stats' }>;
}
const BROKER = fileURLToPath(new URL('./bench/broker-process.ts', import.meta.url));
const brokers: BrokerChild[] = await Promise.all(
  Array.from(
    { length: Math.max(1, Number(values.brokers)) },
    () =>
      new Promise<BrokerChild>((resolve, reject) => {
        const child = fork(BROKER, [dir], {
          execArgv: ['--import', 'tsx'],
          stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        });
        const b: BrokerChild = {
          child,
          port: 0,
          stats: { type: 'stats', connected: 0, received: {}, invalid: 0 },
        };
        child.once('exit', (code) => reject(new Error(`broker exited (${code}) before listening`)));
        child.on('message', (raw) => {
          const m = raw as FromBroker;
          if (m.type === 'listening') {
            b.port = m.port;
            resolve(b);
          } else b.stats = m;
        });
      }),
  ),
);
const connectedClients = () => brokers.reduce((s, b) => s + b.stats.connected, 0);
const receivedTotal = () =>
  brokers.reduce((s, b) => s + Object.values(b.stats.received).reduce((x, y) => x + y, 0), 0);

const brokerUrls = brokers.map((b) => `mqtt://127.0.0.1:${b.port}`).join(',');
const args = ['scripts/city.mjs', 'simulate', '--broker', brokerUrls];
args.push(
  '--intersections',
  String(values.intersections),
  '--speed',
  String(values.speed),
  '--data-dir',
  dir,
);
if (values.shards !== undefined) args.push('--shards', values.shards);
if (values.meters !== undefined) args.push('--meters', values.meters);
const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
let lastStats: Record<string, unknown> = {};
let start: Record<string, unknown> = {};
let startedAt = 0;
child.stdout.setEncoding('utf8');
child.stdout.on('data', (chunk: string) => {
  for (const line of chunk.split('\n').filter(Boolean)) {
    const o = JSON.parse(line) as Record<string, unknown>;
    if (o.event === 'stats') lastStats = o;
    if (o.event === 'start') {
      start = o;
      startedAt = Date.now();
    }
  }
});

// Wait (bounded) until every connecting device is online, then 10 s to settle.
const spawnedAt = Date.now();
const deadline = spawnedAt + Number(values['connect-timeout']) * 1000;
let connectedAt = 0;
while (Date.now() < deadline) {
  await sleep(1000);
  const want = Number(start.connecting ?? Number.POSITIVE_INFINITY);
  if (connectedClients() >= want) {
    connectedAt = Date.now();
    break;
  }
}
await sleep(10_000);
const pid = child.pid ?? 0;
const t0 = Date.now();
const c0 = treeCpuTicks(pid);
const brokerPids = brokers.map((b) => b.child.pid ?? 0);
const bc0 = brokerPids.reduce((s, p) => s + treeCpuTicks(p), 0);
const r0 = receivedTotal();
await sleep(windowS * 1000);
const elapsedS = (Date.now() - t0) / 1000;
const simCpuS = (treeCpuTicks(pid) - c0) / 100;
const brokerCpuS = (brokerPids.reduce((s, p) => s + treeCpuTicks(p), 0) - bc0) / 100;
const r1 = receivedTotal();
const simProcesses = processTree(pid).length;
const simRssMb = Math.round(treeRssBytes(pid) / 2 ** 20);
const brokerRssMb = Math.round(brokerPids.reduce((s, p) => s + treeRssBytes(p), 0) / 2 ** 20);
const connectedInWindow = connectedClients();

child.kill('SIGTERM');
const exited = new Promise((r) => child.once('exit', r));
const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
await exited;
clearTimeout(killer);
await Promise.all(
  brokers.map(
    (b) =>
      new Promise<void>((resolve) => {
        if (b.child.exitCode !== null) return resolve();
        const kill = setTimeout(() => b.child.kill('SIGKILL'), 10_000);
        b.child.once('exit', () => {
          clearTimeout(kill);
          resolve();
        });
        b.child.send({ type: 'stop' });
      }),
  ),
);
rmSync(dir, { recursive: true, force: true });
const received: Record<string, number> = {};
for (const b of brokers)
  for (const [k, v] of Object.entries(b.stats.received)) received[k] = (received[k] ?? 0) + v;
const pct = (s: number) => Math.round((s / elapsedS) * 1000) / 10;
process.stdout.write(
  `${JSON.stringify({
    date: new Date().toISOString(),
    loadavgAtStart: load0.map((l) => Math.round(l * 100) / 100),
    intersections: Number(values.intersections),
    speed: Number(values.speed),
    devices: start.connecting,
    connectedInWindow,
    brokers: brokers.length,
    shards: start.shards,
    simulatorProcesses: simProcesses,
    cameras: start.cameras,
    gateways: start.gateways,
    meters: start.meters,
    provisionS: startedAt > 0 ? Math.round((startedAt - spawnedAt) / 1000) : null,
    connectS: connectedAt > 0 ? Math.round((connectedAt - startedAt) / 1000) : null,
    windowS: Math.round(elapsedS),
    simulatorCpuPctOfOneCore: pct(simCpuS),
    brokerAndSinkCpuPctOfOneCore: pct(brokerCpuS),
    simulatorRssMb: simRssMb,
    brokerRssMb,
    messagesPerS: Math.round((r1 - r0) / elapsedS),
    invalid: brokers.reduce((s, b) => s + b.stats.invalid, 0),
    received,
    lastSimulatorStats: lastStats,
  })}\n`,
);
process.exit(0);
