import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import mqtt, { type MqttClient } from 'mqtt';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Registry } from '../broker/registry.ts';
import { Journal } from '../ingest/journal.ts';
import { influxQuery } from '../ingest/test-influx.ts';
import { topics } from '../protocol/topics.ts';
import { loadConfig } from './config.ts';
import { type Influxd, startInfluxd } from './lib/influxd.ts';
import { type RunningPlatform, startPlatform } from './platform.ts';
import { CameraFleet, type FleetCamera } from './testing/camera-fleet.ts';
import { testPlatformEnv, until } from './testing/test-platform.ts';

// BROKER_PROCESSES=2: two broker worker processes behind one MQTT port, each with its own spool,
// the services in the primary. Real devices over MQTT/TCP, a real influxd, real worker processes.

let dir: string;
let influxd: Influxd;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'platform-cluster-'));
  influxd = await startInfluxd({ dataDir: join(dir, 'influxdb'), db: 'city' });
});
afterAll(async () => {
  await influxd?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const q = (s: string) => influxQuery(influxd.url, 'city', s);

function envFor(dataDir: string): Promise<Record<string, string>> {
  return testPlatformEnv(dataDir, influxd.url, { BROKER_PROCESSES: '2' });
}

function connect(url: string, id: string, secret: string): Promise<MqttClient> {
  return new Promise((resolve, reject) => {
    const c = mqtt.connect(url, { clientId: id, username: id, password: secret, reconnectPeriod: 0 });
    c.once('connect', () => resolve(c));
    c.once('error', reject);
  });
}

/** Every acknowledged (camera, ts) is a point in InfluxDB, and there is exactly one point per reading. */
async function expectAllAckedStored(fleet: CameraFleet, devices: string): Promise<void> {
  const rows = await q(`SELECT intensity, device FROM traffic_counts WHERE device =~ /^${devices}-/`);
  const stored = new Set(rows.map((r) => `${String(r.device)}@${Number(r.time)}`));
  let missing = 0;
  for (const [camera, acked] of fleet.acked)
    for (const ts of acked) if (!stored.has(`${camera}@${ts}`)) missing++;
  expect(missing).toBe(0);
  // A message resent after a lost PUBACK (or to the other worker) is the same point, never a second.
  expect(rows.length).toBe(fleet.published);
}

function cameras(prefix: string, n: number) {
  return Array.from({ length: n }, (_, i) => ({
    id: `${prefix}-${i}`,
    type: 'camera' as const,
    intersectionId: 'I-9',
    approach: 'N' as const,
  }));
}

describe('platform with BROKER_PROCESSES=2', () => {
  let platform: RunningPlatform;

  beforeAll(async () => {
    platform = await startPlatform(loadConfig(await envFor(join(dir, 'inproc'))), {
      logger: pino({ level: 'silent' }),
    });
  });
  afterAll(async () => {
    await platform?.stop();
  });

  const workers = () => platform.brokerCluster?.workers() ?? [];
  // Fresh reports, not the last heartbeat: a depth of 0 from before the last commits would lie.
  const drained = async () => {
    await platform.brokerCluster?.refreshStatus();
    return platform.ingestStatus().spoolDepth === 0;
  };

  it('spreads devices over both workers and stores every acknowledged message from both exactly once', async () => {
    expect(workers()).toHaveLength(2);
    const cams = await platform.registry.addDevices(cameras('SPREAD', 40));
    const fleet = new CameraFleet(platform.mqttUrl, cams, Date.now() - 3_600_000);
    await fleet.connect();
    await until('both workers to report their clients', () => {
      const counts = workers().map((w) => w.status?.connected ?? 0);
      return counts.reduce((a, b) => a + b, 0) === 40;
    });
    // Round-robin: each worker holds some of the devices.
    for (const w of workers()) expect(w.status?.connected).toBeGreaterThan(5);

    fleet.start(10, 50); // 200 messages/s
    await sleep(4_000);
    await fleet.stop();
    expect(fleet.inFlight).toBe(0);
    await fleet.close();
    // Both workers' ingests took messages.
    await until('every worker to report what it took', () =>
      workers().every((w) => (w.status?.accepted ?? 0) > 100),
    );
    await until('every spool to drain', drained);
    await expectAllAckedStored(fleet, 'SPREAD');

    // /metrics aggregates the workers: their ingest counters add up to what the devices sent.
    const metrics = await (await fetch(`${platform.httpUrl}/metrics`)).text();
    const accepted = /^ingest_messages_accepted_total\{kind="cameraCounts"\} (\d+)$/m.exec(metrics)?.[1];
    expect(Number(accepted)).toBeGreaterThanOrEqual(fleet.published);
    const ready = (await (await fetch(`${platform.httpUrl}/readyz`)).json()) as {
      checks: { name: string; detail?: string }[];
    };
    expect(ready.checks.find((c) => c.name === 'broker')?.detail).toMatch(/2\/2 broker processes up/);
  });

  it('delivers a plan from an in-process service, and from one over MQTT, to a signal on either worker', async () => {
    const ids = Array.from({ length: 6 }, (_, i) => `PI-${i}`);
    const made = await platform.registry.addDevices(
      ids.map((id) => ({ id, type: 'signal' as const, intersectionId: id })),
    );
    const received = new Map<string, string[]>(ids.map((id) => [id, []]));
    const signals = await Promise.all(made.map((d) => connect(platform.mqttUrl, d.id, d.secret)));
    for (const [i, s] of signals.entries()) {
      const id = ids[i] as string;
      s.on('message', (_t, payload) => received.get(id)?.push(payload.toString()));
      await s.subscribeAsync(topics.signalPlan.of(id), { qos: 1 });
    }
    await until('the signals to sit on both workers', () =>
      workers().every((w) => (w.status?.connected ?? 0) >= 1),
    );

    const dashboard = platform.services.dashboard;
    const auth = await platform.registry.check(dashboard.id, dashboard.secret);
    if (!auth.ok) throw new Error(auth.reason);
    const bus = platform.connectService(auth.identity);
    const seen: string[] = [];
    await bus.subscribe(['city/traffic/signals/+/plan'], (topic) => seen.push(topic));
    // Distinct timestamps: a signal's two plans are two points.
    const base = Date.now();
    const plan = (source: 'local' | 'remote') =>
      JSON.stringify({
        ts: source === 'local' ? base : base + 1,
        planId: `P-${source}`,
        source: 'operator',
        cycleS: 60,
        offsetS: 0,
        phases: [
          { id: 'P1', movements: ['M1'], greenS: 25, yellowS: 3, allRedS: 2 },
          { id: 'P2', movements: ['M2'], greenS: 25, yellowS: 3, allRedS: 2 },
        ],
      });
    for (const id of ids) await bus.publish(topics.signalPlan.of(id), plan('local'), { qos: 1 });

    // A service connected over MQTT lands on one worker; its plans must reach signals on the other.
    const control = platform.services.control;
    const remote = await connect(platform.mqttUrl, control.id, control.secret);
    for (const id of ids) await remote.publishAsync(topics.signalPlan.of(id), plan('remote'), { qos: 1 });

    await until('every signal to get both plans', () =>
      ids.every((id) => (received.get(id) ?? []).length >= 2),
    );
    for (const id of ids) {
      const plans = (received.get(id) ?? []).map((p) => (JSON.parse(p) as { planId: string }).planId);
      expect(plans.sort()).toEqual(['P-local', 'P-remote']);
    }
    // The primary's own subscriber saw both kinds too, each once per signal.
    expect(seen).toHaveLength(12);
    await Promise.all([...signals, remote].map((c) => c.endAsync()));
    await bus.close();
    // Each plan was stored once (the primary's spool or the remote service's worker's).
    await until('every spool to drain', drained);
    const stored = await q(`SELECT count(cycleS) FROM signal_plan WHERE device =~ /^PI-/`);
    expect(stored).toEqual([expect.objectContaining({ count: 12 })]);
  });

  it('restarts a worker killed under load, and keeps everything it acknowledged', async () => {
    const cams = await platform.registry.addDevices(cameras('WKILL', 20));
    const fleet = new CameraFleet(platform.mqttUrl, cams, Date.now() - 7_200_000);
    await fleet.connect();
    fleet.start(10, 50);
    await sleep(3_000);
    const victim = workers()[1];
    expect(victim?.pid).toBeTypeOf('number');
    process.kill(victim?.pid as number, 'SIGKILL');
    const ackedAtKill = fleet.ackedCount;
    await until('the worker to be restarted', () => {
      const w = workers()[1];
      return w?.up === true && w.restarts === 1 && w.pid !== victim?.pid;
    });
    await sleep(3_000);
    await fleet.stop();
    expect(fleet.inFlight).toBe(0);
    expect(fleet.ackedCount).toBeGreaterThan(ackedAtKill);
    await fleet.close();
    await until('every spool to drain', drained, 120_000);
    await expectAllAckedStored(fleet, 'WKILL');
  });
});

describe('fewer broker processes than before', () => {
  it('drains the spools of worker slots this run does not have', async () => {
    const dataDir = join(dir, 'shrunk');
    mkdirSync(dataDir, { recursive: true });
    // What worker 2 of an earlier BROKER_PROCESSES=3 run acknowledged and could not write yet.
    const ts = Date.now() - 600_000;
    const journal = Journal.open(join(dataDir, 'spool-w2.sqlite'));
    await journal.append(
      Array.from({ length: 50 }, (_, i) => `traffic_counts,device=ORPHAN-0 intensity=${i}i ${ts + i}000000`),
    );
    journal.close();

    const env = await envFor(dataDir);
    const platform = await startPlatform(loadConfig({ ...env, BROKER_PROCESSES: '1' }), {
      logger: pino({ level: 'silent' }),
    });
    try {
      await until('the left-over spool to drain', () => platform.ingestStatus().spoolDepth === 0);
      expect(await q(`SELECT count(intensity) FROM traffic_counts WHERE device = 'ORPHAN-0'`)).toEqual([
        expect.objectContaining({ count: 50 }),
      ]);
    } finally {
      await platform.stop();
    }
  });
});

describe('platform process with BROKER_PROCESSES=2: SIGTERM', () => {
  const root = join(import.meta.dirname, '..');
  const spawnPlatform = (env: Record<string, string>): ChildProcess =>
    spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
  const exited = (p: ChildProcess) =>
    new Promise<number | null>((resolve) => {
      if (p.exitCode !== null || p.signalCode !== null) resolve(p.exitCode);
      else p.once('exit', (code) => resolve(code));
    });
  const ready = (env: Record<string, string>) =>
    until('the platform to be ready', async () => {
      try {
        return (await fetch(`http://127.0.0.1:${env.HTTP_PORT}/readyz`)).ok;
      } catch {
        return false;
      }
    });
  const childrenOf = (pid: number): number[] => {
    try {
      return execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' })
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map(Number);
    } catch {
      return [];
    }
  };
  const alive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };

  it('drains every worker: the primary exits 0, no worker is left, nothing acknowledged is lost', async () => {
    const dataDir = join(dir, 'termed');
    const env = await envFor(dataDir);
    const registry = Registry.open(join(dataDir, 'registry.sqlite'));
    const cams: FleetCamera[] = await registry.addDevices(cameras('CTERM', 10));
    registry.close();

    let child = spawnPlatform(env);
    await ready(env);
    const workerPids = childrenOf(child.pid as number).filter((pid) =>
      execFileSync('ps', ['-o', 'args=', '-p', String(pid)], { encoding: 'utf8' }).includes('broker-worker'),
    );
    expect(workerPids).toHaveLength(2);
    const fleet = new CameraFleet(`mqtt://127.0.0.1:${env.MQTT_PORT}`, cams, Date.now() - 3_600_000);
    await fleet.connect();
    fleet.start(5, 50);
    await sleep(2_000);
    child.kill('SIGTERM');
    expect(await exited(child)).toBe(0);
    for (const pid of workerPids) expect(alive(pid)).toBe(false);

    child = spawnPlatform(env);
    await ready(env);
    await fleet.stop();
    expect(fleet.inFlight).toBe(0);
    await fleet.close();
    await until('every spool to drain', async () => {
      const m = await (await fetch(`http://127.0.0.1:${env.HTTP_PORT}/metrics`)).text();
      return /^ingest_spool_depth 0$/m.test(m);
    });
    await expectAllAckedStored(fleet, 'CTERM');
    child.kill('SIGTERM');
    expect(await exited(child)).toBe(0);
  });

  it('stops on Ctrl-C to the whole process group without restarting the workers it reached first', async () => {
    const env = await envFor(join(dir, 'ctrl-c'));
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, as a terminal gives `npm start`: Ctrl-C signals every member.
      detached: true,
    });
    let log = '';
    child.stdout?.on('data', (d: Buffer) => {
      log += d.toString();
    });
    // start.ts installs its signal handlers right after it prints this.
    await until('the platform to say it is up', () => log.includes('platform is up'));
    const workerPids = childrenOf(child.pid as number);
    expect(workerPids.length).toBeGreaterThanOrEqual(2);
    process.kill(-(child.pid as number), 'SIGINT');
    expect(await exited(child)).toBe(0);
    for (const pid of workerPids) expect(alive(pid)).toBe(false);
    expect(log).not.toContain('restarting it');
  });
});
