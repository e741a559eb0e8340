// Measures what the simulated city costs: starts a real broker (schema-checking sink, no
// InfluxDB) in this process, runs `city simulate` as a child process against it, and after
// the fleet has connected samples the child's CPU time from /proc over a steady window.
// Writes one JSON line of results. Usage:
//   npx tsx simulators/city/measure-city.ts --intersections 400 [--window 60] [--speed 1]
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { Registry as PromRegistry } from 'prom-client';
import { createBroker, Registry } from '../../broker/index.ts';
import { parseTopic, topics } from '../../protocol/index.ts';

const { values } = parseArgs({
  options: {
    intersections: { type: 'string', default: '100' },
    window: { type: 'string', default: '60' },
    speed: { type: 'string', default: '1' },
    shards: { type: 'string' },
    meters: { type: 'string' },
  },
});
const windowS = Number(values.window);
const dir = mkdtempSync(join(tmpdir(), 'measure-city-'));
const registry = Registry.open(join(dir, 'registry.sqlite'));
const received: Record<string, number> = {};
let invalid = 0;
const broker = createBroker({
  registry,
  sink: {
    async receive(_sender, topic, payload) {
      const p = parseTopic(topic);
      const ok = p !== null && topics[p.key].schema.safeParse(JSON.parse(payload.toString('utf8'))).success;
      if (!ok || !p) {
        invalid++;
        return 'rejected';
      }
      received[p.key] = (received[p.key] ?? 0) + 1;
      return 'stored';
    },
  },
  logger: pino({ level: 'silent' }),
  metrics: new PromRegistry(),
  revocationSweepMs: 0,
});
const { tcpPort } = await broker.listen({ tcpPort: 0, host: '127.0.0.1' });

const args = ['scripts/city.mjs', 'simulate', '--broker', `mqtt://127.0.0.1:${tcpPort}`];
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
child.stdout.setEncoding('utf8');
child.stdout.on('data', (chunk: string) => {
  for (const line of chunk.split('\n').filter(Boolean)) {
    const o = JSON.parse(line) as Record<string, unknown>;
    if (o.event === 'stats') lastStats = o;
    if (o.event === 'start') start = o;
  }
});

// CPU ticks (1/100 s) of a process and of its live children (the shards, when there are some).
const ownTicks = (pid: number) => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return Number(f[11]) + Number(f[12]); // utime stime
};
const cpuTicks = (pid: number): number => {
  let kids: number[] = [];
  try {
    kids = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ').filter(Boolean).map(Number);
  } catch {
    kids = [];
  }
  return ownTicks(pid) + kids.reduce((s, k) => s + cpuTicks(k), 0);
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// Wait (at most 3 min) until every connecting device is online, then 10 s to settle.
const deadline = Date.now() + 180_000;
while (Date.now() < deadline) {
  await sleep(1000);
  const want = Number(start.connecting ?? Number.POSITIVE_INFINITY);
  if (broker.aedes.connectedClients >= want) break;
}
await sleep(10_000);
const pid = child.pid ?? 0;
const t0 = Date.now();
const c0 = cpuTicks(pid);
const b0 = process.cpuUsage();
const r0 = Object.values(received).reduce((a, b) => a + b, 0);
await sleep(windowS * 1000);
const elapsedS = (Date.now() - t0) / 1000;
const simCpuS = (cpuTicks(pid) - c0) / 100;
const brokerCpu = process.cpuUsage(b0);
const r1 = Object.values(received).reduce((a, b) => a + b, 0);
child.kill('SIGTERM');
await new Promise((r) => child.once('exit', r));
await broker.close();
registry.close();
rmSync(dir, { recursive: true, force: true });
process.stdout.write(
  `${JSON.stringify({
    intersections: Number(values.intersections),
    speed: Number(values.speed),
    devices: start.connecting,
    shards: start.shards,
    cameras: start.cameras,
    meters: start.meters,
    windowS: Math.round(elapsedS),
    simulatorCpuPctOfOneCore: Math.round((simCpuS / elapsedS) * 1000) / 10,
    brokerAndSinkCpuPctOfOneCore:
      Math.round(((brokerCpu.user + brokerCpu.system) / 1e6 / elapsedS) * 1000) / 10,
    messagesPerS: Math.round((r1 - r0) / elapsedS),
    invalid,
    received,
    lastSimulatorStats: lastStats,
  })}\n`,
);
process.exit(0);
