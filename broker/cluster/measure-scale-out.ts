// Measures the scaled-out broker at Moscow's connection count: the `moscow` profile's 30,000
// device connections (4,000 signals, 16,000 cameras, 10,000 gateways) against the platform with
// BROKER_PROCESSES workers, idle memory per connection per worker, then the profile's message rate
// (~7,200 msgs/s, QoS 1) end to end into a real influxd, with exact loss counting. Baseline in the
// same run: the same rate on 15,000 connections against one broker process.
//
//   flock /tmp/heavy.lock npx tsx broker/cluster/measure-scale-out.ts [processes=2] [seconds=60]
//
// One meter per gateway instead of 100: the gateways keep their connection and message rate
// (one batch per 15 min each), and provisioning skips 990,000 registry rows nobody connects as.
// Prints one JSON object.
import { execFileSync, fork } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { type Fleet, fleetOf } from '../../benchmarks/load/fleet.ts';
import { groupMessagesPerSec, type Profile } from '../../benchmarks/load/profiles.ts';
import { FleetRun } from '../../benchmarks/load/run-fleet.ts';
import { countPoints, createDatabase } from '../../benchmarks/measure/influx.ts';
import { runWindow } from '../../benchmarks/measure/run-window.ts';
import { startPlatformSession } from '../../benchmarks/target/platform-session.ts';
import { procCpuMs, procRss } from '../../benchmarks/target/spawn-target.ts';
import { startInfluxd } from '../../scripts/lib/influxd.ts';

const processes = Number(process.argv[2] ?? 2);
const seconds = Number(process.argv[3] ?? 60);
const MIN = 60_000;
/** The `moscow` profile's connections and message rate. */
const moscow: Profile = {
  name: 'moscow-connections',
  description: 'moscow: 4,000 signals, 16,000 cameras, 10,000 gateways (1 meter each)',
  groups: [
    { type: 'signal', count: 4000, periodMs: 1000, qos: 1 },
    { type: 'camera', count: 16_000, periodMs: 5000, qos: 1 },
    {
      type: 'gateway',
      count: 10_000,
      metersPerGateway: 1,
      meterPeriodMs: 15 * MIN,
      batchPeriodMs: 15 * MIN,
      qos: 1,
    },
  ],
  rampPerSec: 1000,
  durationS: seconds,
};
/**
 * The baseline, in the same run: the same message rate on 15,000 connections against ONE broker
 * process (what one process can hold), as the bench's `moscow-rates@15k`.
 */
const rates15k: Profile = {
  name: 'moscow-rates@15k',
  description: "moscow's message rate on 15,000 connections",
  groups: [
    { type: 'signal', count: 4000, periodMs: 1000, qos: 1 },
    { type: 'camera', count: 8000, periodMs: 2500, qos: 1 },
    {
      type: 'gateway',
      count: 3000,
      metersPerGateway: 1,
      meterPeriodMs: 270_000,
      batchPeriodMs: 270_000,
      qos: 1,
    },
  ],
  rampPerSec: 1000,
  durationS: seconds,
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const mb = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;
const socketsOf = (pid: number) =>
  readdirSync(`/proc/${pid}/fd`).filter((fd) => {
    try {
      return readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith('socket:');
    } catch {
      return false;
    }
  }).length;

/**
 * Connections the generator opens from 127.0.0.1. One source address reaches one server port
 * through at most the ephemeral range (32768-60999: 28,232 ports), shared with every other socket
 * on the machine: 28,000 failed with EADDRNOTAVAIL here. The rest connect from 127.0.0.2.
 */
const FROM_FIRST_ADDRESS = 20_000;

/**
 * Moves gateways beyond FROM_FIRST_ADDRESS out of the generator's fleet: they connect from a
 * second loopback address instead and stay idle (10,000 gateways send one batch per 15 min each:
 * 11 msgs/s of the profile's 7,211 are left out).
 */
function splitForSourceAddresses(fleet: Fleet): { generated: Fleet; extra: string[] } {
  const total = fleet.groups.reduce((n, g) => n + g.ids.length, 0);
  let over = Math.max(0, total - FROM_FIRST_ADDRESS);
  const extra: string[] = [];
  const groups = fleet.groups.flatMap((g) => {
    if (g.kind !== 'gateway' || over === 0) return [g];
    const keep = Math.max(0, g.ids.length - over);
    extra.push(...g.ids.slice(keep));
    over -= g.ids.length - keep;
    if (keep === 0) return [];
    return [
      {
        ...g,
        ids: g.ids.slice(0, keep),
        ...(g.gatewayIndexes === undefined ? {} : { gatewayIndexes: g.gatewayIndexes.slice(0, keep) }),
      },
    ];
  });
  return { generated: { ...fleet, groups }, extra };
}

interface IdleReport {
  readonly connected: number;
  readonly failed: number;
  readonly firstError?: string;
}

/** Idle device connections from 127.0.0.2 in a child process (idle-clients.ts). */
async function openIdleClients(
  url: string,
  devices: readonly { id: string; secret: string }[],
  rampPerSec: number,
): Promise<{ report(): Promise<IdleReport>; close(): Promise<void> }> {
  if (devices.length === 0) {
    return { report: async () => ({ connected: 0, failed: 0 }), close: async () => {} };
  }
  const child = fork(fileURLToPath(new URL('./idle-clients.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const next = (type: string) =>
    new Promise<IdleReport>((resolve) => {
      const on = (m: IdleReport & { type: string }) => {
        if (m.type !== type) return;
        child.off('message', on);
        resolve(m);
      };
      child.on('message', on);
    });
  const { hostname, port } = new URL(url);
  const opened = next('connected');
  child.send({
    cmd: 'open',
    plan: { host: hostname, port: Number(port), localAddress: '127.0.0.2', devices, rampPerSec },
  });
  await opened;
  return {
    async report() {
      const r = next('report');
      child.send({ cmd: 'report' });
      return r;
    },
    async close() {
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.send({ cmd: 'exit' });
      await gone;
    },
  };
}

/** Busy and total jiffies of the whole machine (all cores), from /proc/stat. */
function machineTicks(): { busy: number; total: number } {
  const cpu =
    readFileSync('/proc/stat', 'utf8').split('\n')[0]?.trim().split(/\s+/).slice(1).map(Number) ?? [];
  const total = cpu.reduce((a, b) => a + b, 0);
  const idle = (cpu[3] ?? 0) + (cpu[4] ?? 0);
  return { busy: total - idle, total };
}

function brokerWorkersOf(primary: number): number[] {
  return execFileSync('pgrep', ['-P', String(primary)], { encoding: 'utf8' })
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map(Number)
    .filter((pid) =>
      execFileSync('ps', ['-o', 'args=', '-p', String(pid)], { encoding: 'utf8' }).includes('broker-worker'),
    );
}

async function measure(influxUrl: string, db: string, brokerProcesses: number, profile: Profile) {
  await createDatabase(influxUrl, db);
  const fleet = fleetOf(profile);
  process.env.BROKER_PROCESSES = String(brokerProcesses);
  const session = await startPlatformSession({ influxUrl, db, specs: fleet.specs });
  try {
    const primary = session.target.pid;
    const pids = [primary, ...(brokerProcesses > 1 ? brokerWorkersOf(primary) : [])];
    await sleep(2000);
    const rssBefore = await Promise.all(pids.map(procRss));
    const connections = profile.groups.reduce((n, g) => n + g.count, 0);

    const { generated, extra } = splitForSourceAddresses(fleet);
    const t0 = performance.now();
    const extraShare = extra.length / connections;
    const [run, second] = await Promise.all([
      FleetRun.connect({
        url: session.url,
        fleet: generated,
        secretOf: session.secretOf,
        mode: 'schedule',
        rampPerSec: profile.rampPerSec * (1 - extraShare),
        keepaliveS: 300,
      }),
      openIdleClients(
        session.url,
        extra.map((id) => ({ id, secret: session.secretOf(id) })),
        profile.rampPerSec * extraShare,
      ),
    ]);
    const connectS = (performance.now() - t0) / 1000;
    await sleep(5000);
    const fromGenerator = await run.snapshot();
    const fromSecond = await second.report();
    const idle = {
      connected: fromGenerator.connected + fromSecond.connected,
      connectFailed: fromGenerator.connectFailed + fromSecond.failed,
      firstError: fromGenerator.firstError ?? fromSecond.firstError,
    };
    const rssIdle = await Promise.all(pids.map(procRss));
    const sockets = pids.map((pid) => socketsOf(pid));

    const cpuBefore = await Promise.all(pids.map(procCpuMs));
    const loadBefore = await Promise.all(run.pids.map(procCpuMs));
    const machineBefore = machineTicks();
    const tw = performance.now();
    const w = await runWindow(run, { warmupS: 10, seconds });
    const windowMs = performance.now() - tw;
    const machineAfter = machineTicks();
    const cpuAfter = await Promise.all(pids.map(procCpuMs));
    const loadAfter = await Promise.all(run.pids.map(procCpuMs));
    const rssLoaded = await Promise.all(pids.map(procRss));
    await run.close();
    await second.close();
    const drained = await session.waitDrained(180_000);
    const stored = await countPoints(influxUrl, db);
    const offered = profile.groups.reduce((n, g) => n + groupMessagesPerSec(g), 0);
    const pct = (before: number, after: number) => Math.round(((after - before) / windowMs) * 100);
    return {
      profile: profile.name,
      brokerProcesses,
      connections,
      connected: idle.connected,
      connectedFromSecondAddress: fromSecond.connected,
      connectFailed: idle.connectFailed,
      ...(idle.firstError ? { firstError: idle.firstError } : {}),
      connectPerSec: Math.round(idle.connected / connectS),
      perProcess: pids.map((pid, i) => {
        const before = rssBefore[i] ?? 0;
        const after = rssIdle[i] ?? 0;
        const n = sockets[i] ?? 0;
        return {
          role: i === 0 ? (brokerProcesses > 1 ? 'primary' : 'platform') : `worker ${i - 1}`,
          pid,
          /** Sockets held with the devices connected and idle (≈ device connections + a few). */
          sockets: n,
          rssMbBefore: mb(before),
          rssMbIdle: mb(after),
          kbPerSocket: n > 100 ? Math.round(((after - before) / 1024 / n) * 10) / 10 : null,
          rssMbLoaded: mb(rssLoaded[i] ?? 0),
          cpuPctOfCoreUnderLoad: pct(cpuBefore[i] ?? 0, cpuAfter[i] ?? 0),
        };
      }),
      loadGeneratorCpuPctOfCore: run.pids.map((_, i) => pct(loadBefore[i] ?? 0, loadAfter[i] ?? 0)),
      machineBusyPct: Math.round(
        ((machineAfter.busy - machineBefore.busy) / (machineAfter.total - machineBefore.total)) * 100,
      ),
      rate: {
        offeredMsgsPerSec: Math.round(offered - (extra.length * 1000) / (15 * MIN)),
        ackedMsgsPerSec: Math.round(w.ackedPerSec),
        ackLatencyMs: {
          p50: Math.round(w.latency.p50),
          p95: Math.round(w.latency.p95),
          p99: Math.round(w.latency.p99),
        },
        skipped: w.totals.skipped,
        closedUnexpectedly: w.totals.closedUnexpectedly,
        errors: w.totals.errors,
      },
      readingsAcked: w.totals.readingsAcked,
      stored: stored.readings,
      lost: Math.max(0, w.totals.readingsAcked - stored.readings),
      drained,
      loadAverage: readFileSync('/proc/loadavg', 'utf8').trim(),
    };
  } finally {
    await session.close();
  }
}

const dir = mkdtempSync(join(tmpdir(), 'scale-out-'));
const influxd = await startInfluxd({ dataDir: join(dir, 'influxdb') });
try {
  const baseline = await measure(influxd.url, 'baseline', 1, rates15k);
  const scaled = await measure(influxd.url, 'scaled', processes, moscow);
  console.log(
    JSON.stringify(
      {
        at: new Date().toISOString(),
        seconds,
        baseline,
        scaled,
        ratio: {
          ackedMsgsPerSec:
            Math.round((scaled.rate.ackedMsgsPerSec / baseline.rate.ackedMsgsPerSec) * 100) / 100,
        },
      },
      null,
      2,
    ),
  );
} finally {
  await influxd.stop();
  rmSync(dir, { recursive: true, force: true });
}
