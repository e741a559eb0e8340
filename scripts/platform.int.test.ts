import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import mqtt, { type MqttClient } from 'mqtt';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Registry } from '../broker/registry.ts';
import { influxQuery } from '../ingest/test-influx.ts';
import { topics } from '../protocol/topics.ts';
import { loadConfig } from './config.ts';
import { type Influxd, startInfluxd } from './lib/influxd.ts';
import { type RunningPlatform, startPlatform } from './platform.ts';
import { CameraFleet, type FleetCamera } from './testing/camera-fleet.ts';
import { testPlatformEnv, until } from './testing/test-platform.ts';

// The platform core end to end: real devices over MQTT/TCP → broker → ingest → a real influxd.
// These are the promises made to device vendors: what is acknowledged is never lost, bad input
// is refused, counted and recorded without costing the device its valid messages.

let dir: string;
let influxd: Influxd;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'platform-'));
  influxd = await startInfluxd({ dataDir: join(dir, 'influxdb'), db: 'city' });
});
afterAll(async () => {
  await influxd?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const q = (s: string) => influxQuery(influxd.url, 'city', s);

function envFor(dataDir: string): Promise<Record<string, string>> {
  return testPlatformEnv(dataDir, influxd.url);
}

function connect(url: string, id: string, secret: string): Promise<MqttClient> {
  return new Promise((resolve, reject) => {
    const c = mqtt.connect(url, { clientId: id, username: id, password: secret, reconnectPeriod: 0 });
    c.once('connect', () => resolve(c));
    c.once('error', reject);
  });
}

/** Every acknowledged (camera, ts) is a point in InfluxDB, and there is exactly one point per reading. */
async function expectAllAckedStored(fleet: CameraFleet, measurementFilter: string): Promise<void> {
  const rows = await q(`SELECT intensity, device FROM traffic_counts WHERE ${measurementFilter}`);
  const stored = new Map<string, Set<number>>();
  for (const r of rows) {
    const device = String(r.device);
    if (!stored.has(device)) stored.set(device, new Set());
    stored.get(device)?.add(Number(r.time));
  }
  let missing = 0;
  for (const [camera, acked] of fleet.acked) {
    const have = stored.get(camera) ?? new Set<number>();
    for (const ts of acked) if (!have.has(ts)) missing++;
  }
  expect(missing).toBe(0);
  // Resends of a message whose PUBACK was lost become the same point, never a second one.
  expect(rows.length).toBe(fleet.published);
}

describe('platform: broker + ingest + InfluxDB', () => {
  let platform: RunningPlatform;
  let creds: Record<string, string>;

  beforeAll(async () => {
    const dataDir = join(dir, 'inproc');
    platform = await startPlatform(loadConfig(await envFor(dataDir)), { logger: pino({ level: 'silent' }) });
    const r = platform.registry;
    const made = await r.addDevices([
      { id: 'CAM-A', type: 'camera', intersectionId: 'I-1', approach: 'N' },
      { id: 'SIG-1', type: 'signal', intersectionId: 'I-1' },
      { id: 'M-A', type: 'meter', meterKind: 'water' },
      { id: 'GW-A', type: 'gateway' },
      { id: 'M-B', type: 'meter', meterKind: 'water', gatewayId: 'GW-A' },
      { id: 'M-C', type: 'meter', meterKind: 'electricity', gatewayId: 'GW-A' },
    ]);
    creds = Object.fromEntries(made.map((c) => [c.id, c.secret]));
  });
  afterAll(async () => {
    await platform?.stop();
  });

  it('stores valid readings of every kind exactly once', async () => {
    const now = Date.now();
    const cam = await connect(platform.mqttUrl, 'CAM-A', creds['CAM-A'] as string);
    const sig = await connect(platform.mqttUrl, 'SIG-1', creds['SIG-1'] as string);
    const met = await connect(platform.mqttUrl, 'M-A', creds['M-A'] as string);
    const gw = await connect(platform.mqttUrl, 'GW-A', creds['GW-A'] as string);
    const pub = (c: MqttClient, t: string, p: unknown) => c.publishAsync(t, JSON.stringify(p), { qos: 1 });
    for (let i = 0; i < 3; i++) {
      await pub(cam, topics.cameraCounts.of('CAM-A'), {
        ts: now - 10_000 + i,
        intervalS: 5,
        intensity: 10 + i,
      });
    }
    // A resend of the same reading (a lost PUBACK) must not become a second point.
    await pub(cam, topics.cameraCounts.of('CAM-A'), { ts: now - 10_000, intervalS: 5, intensity: 10 });
    await pub(sig, topics.signalState.of('I-1'), {
      ts: now,
      planId: 'AM',
      phase: 'P1',
      phaseElapsedS: 3,
      mode: 'fixed',
      faults: [],
    });
    await pub(met, topics.meterReadings.of('M-A'), [
      { ts: now - 2000, kind: 'water', value: 10.5 },
      { ts: now - 1000, kind: 'water', value: 10.6, flow: 20 },
    ]);
    await pub(gw, topics.gatewayReadings.of('GW-A'), [
      { meterId: 'M-B', ts: now, kind: 'water', value: 3.25 },
      { meterId: 'M-C', ts: now, kind: 'electricity', value: 800.1, power: 1500 },
    ]);
    await Promise.all([cam, sig, met, gw].map((c) => c.endAsync()));

    await until('the spool to drain', () => platform.ingestStatus().spoolDepth === 0);
    expect(await q(`SELECT count(intensity) FROM traffic_counts WHERE device = 'CAM-A'`)).toEqual([
      expect.objectContaining({ count: 3 }),
    ]);
    expect(await q(`SELECT count(phaseElapsedS) FROM signal_state WHERE device = 'I-1'`)).toEqual([
      expect.objectContaining({ count: 1 }),
    ]);
    const meters = await q(`SELECT count(value) FROM meter_readings GROUP BY device`);
    expect(Object.fromEntries(meters.map((r) => [r.device, r.count]))).toEqual({
      'M-A': 2,
      'M-B': 1,
      'M-C': 1,
    });
  });

  it('refuses every class of bad input with its reason, records it, and keeps the device flowing', async () => {
    const cam = await connect(platform.mqttUrl, 'CAM-A', creds['CAM-A'] as string);
    const gw = await connect(platform.mqttUrl, 'GW-A', creds['GW-A'] as string);
    let closed = 0;
    cam.on('close', () => closed++);
    const own = topics.cameraCounts.of('CAM-A');
    const now = Date.now();
    const sends: Array<[MqttClient, string, string | Buffer, string]> = [
      [cam, own, '{"ts": 1, "intervalS": ', 'payload_invalid_json'],
      [cam, own, JSON.stringify({ ts: now, intervalS: 5 }), 'schema_violation'],
      [cam, own, JSON.stringify({ ts: now, intervalS: 5, intensity: 1, occupancy: 7 }), 'value_out_of_range'],
      [
        cam,
        own,
        JSON.stringify({ ts: now + 2 * 86_400_000, intervalS: 5, intensity: 1 }),
        'timestamp_out_of_range',
      ],
      [
        cam,
        own,
        JSON.stringify({ ts: now - 31 * 86_400_000, intervalS: 5, intensity: 1 }),
        'timestamp_out_of_range',
      ],
      [cam, own, Buffer.alloc(65 * 1024, 0x20), 'payload_too_large'],
      [
        cam,
        topics.cameraCounts.of('CAM-OTHER'),
        JSON.stringify({ ts: now, intervalS: 5, intensity: 1 }),
        'topic_device_mismatch',
      ],
      [
        cam,
        'city/traffic/cameras/CAM-A/countz',
        JSON.stringify({ ts: now, intervalS: 5, intensity: 1 }),
        'topic_unknown',
      ],
      [
        gw,
        topics.gatewayReadings.of('GW-A'),
        JSON.stringify([{ meterId: 'M-A', ts: now, kind: 'water', value: 1 }]),
        'meter_not_behind_gateway',
      ],
      [
        gw,
        topics.gatewayReadings.of('GW-A'),
        JSON.stringify([{ meterId: 'M-B', ts: now, kind: 'electricity', value: 1 }]),
        'meter_kind_mismatch',
      ],
    ];
    for (const [client, topic, payload] of sends) {
      await client.publishAsync(topic, payload, { qos: 1 });
      // Valid data from the same device keeps flowing between the bad messages.
    }
    await cam.publishAsync(own, JSON.stringify({ ts: now - 5000, intervalS: 5, intensity: 42 }), { qos: 1 });
    expect(cam.connected).toBe(true);
    expect(closed).toBe(0);
    await Promise.all([cam.endAsync(), gw.endAsync()]);

    await until('the spool to drain', () => platform.ingestStatus().spoolDepth === 0);
    const rejects = await q(`SELECT count(topic) FROM ingest_rejects GROUP BY reason`);
    const byReason = Object.fromEntries(rejects.map((r) => [r.reason, r.count]));
    const expected: Record<string, number> = {};
    for (const [, , , reason] of sends) expected[reason] = (expected[reason] ?? 0) + 1;
    expect(byReason).toEqual(expected);
    expect(
      await q(`SELECT intensity FROM traffic_counts WHERE device = 'CAM-A' AND intensity = 42`),
    ).toHaveLength(1);

    const metrics = await (await fetch(`${platform.httpUrl}/metrics`)).text();
    for (const [reason, n] of Object.entries(expected)) {
      expect(metrics).toContain(`ingest_messages_rejected_total{reason="${reason}"} ${n}`);
    }
  });

  it('keeps every acknowledged reading through a 30 s InfluxDB outage under load', async () => {
    const cams = await platform.registry.addDevices(
      Array.from({ length: 10 }, (_, i) => ({
        id: `OUT-${i}`,
        type: 'camera' as const,
        intersectionId: 'I-9',
        approach: 'N' as const,
      })),
    );
    const fleet = new CameraFleet(platform.mqttUrl, cams, Date.now() - 3_600_000);
    await fleet.connect();
    fleet.start(10, 50); // 200 messages/s
    await sleep(3_000);
    await influxd.stop();
    const ackedAtStop = fleet.ackedCount;
    await sleep(30_000);
    // Devices were acknowledged all through the outage: their readings sit in the spool.
    expect(fleet.ackedCount).toBeGreaterThan(ackedAtStop + 2_000);
    expect(platform.ingestStatus().influxReachable).toBe(false);
    expect(platform.ingestStatus().spoolDepth).toBeGreaterThan(2_000);
    const ready = await fetch(`${platform.httpUrl}/readyz`);
    expect(ready.status).toBe(200);
    await influxd.start();
    await sleep(3_000);
    await fleet.stop();
    expect(fleet.inFlight).toBe(0);
    await fleet.close();
    await until('the spool to drain', () => platform.ingestStatus().spoolDepth === 0, 120_000);
    await expectAllAckedStored(fleet, `device =~ /^OUT-/`);
  });
});

describe('platform process: SIGKILL and SIGTERM', () => {
  function spawnPlatform(env: Record<string, string>): ChildProcess {
    return spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
      cwd: join(import.meta.dirname, '..'),
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
  }
  async function ready(env: Record<string, string>): Promise<void> {
    await until('the platform to be ready', async () => {
      try {
        return (await fetch(`http://127.0.0.1:${env.HTTP_PORT}/readyz`)).ok;
      } catch {
        return false;
      }
    });
  }
  const exited = (p: ChildProcess) =>
    new Promise<number | null>((resolve) => {
      if (p.exitCode !== null || p.signalCode !== null) resolve(p.exitCode);
      else p.once('exit', (code) => resolve(code));
    });
  async function drained(env: Record<string, string>): Promise<void> {
    await until('the spool to drain', async () => {
      const m = await (await fetch(`http://127.0.0.1:${env.HTTP_PORT}/metrics`)).text();
      return /^ingest_spool_depth 0$/m.test(m);
    });
  }

  it('keeps every acknowledged reading when the platform is killed with SIGKILL under load', async () => {
    const dataDir = join(dir, 'killed');
    const env = await envFor(dataDir);
    const registry = Registry.open(join(dataDir, 'registry.sqlite'));
    const cams: FleetCamera[] = await registry.addDevices(
      Array.from({ length: 10 }, (_, i) => ({
        id: `KILL-${i}`,
        type: 'camera' as const,
        intersectionId: 'I-9',
        approach: 'N' as const,
      })),
    );
    registry.close();

    let child = spawnPlatform(env);
    await ready(env);
    const fleet = new CameraFleet(`mqtt://127.0.0.1:${env.MQTT_PORT}`, cams, Date.now() - 7_200_000);
    await fleet.connect();
    fleet.start(10, 50);
    await sleep(4_000);
    child.kill('SIGKILL');
    await exited(child);
    const ackedBeforeKill = fleet.ackedCount;
    expect(ackedBeforeKill).toBeGreaterThan(200);
    await sleep(1_000);

    child = spawnPlatform(env);
    await ready(env);
    await sleep(3_000);
    await fleet.stop();
    expect(fleet.inFlight).toBe(0);
    expect(fleet.ackedCount).toBeGreaterThan(ackedBeforeKill);
    await fleet.close();
    await drained(env);
    await expectAllAckedStored(fleet, `device =~ /^KILL-/`);

    child.kill('SIGTERM');
    expect(await exited(child)).toBe(0);
  });

  it('drains on SIGTERM: exits 0 and keeps everything it acknowledged', async () => {
    const dataDir = join(dir, 'termed');
    const env = await envFor(dataDir);
    const registry = Registry.open(join(dataDir, 'registry.sqlite'));
    const cams: FleetCamera[] = await registry.addDevices([
      { id: 'TERM-0', type: 'camera', intersectionId: 'I-9', approach: 'N' },
    ]);
    registry.close();

    let child = spawnPlatform(env);
    await ready(env);
    const fleet = new CameraFleet(`mqtt://127.0.0.1:${env.MQTT_PORT}`, cams, Date.now() - 3_600_000);
    await fleet.connect();
    fleet.start(5, 50);
    await sleep(2_000);
    child.kill('SIGTERM');
    expect(await exited(child)).toBe(0);
    child = spawnPlatform(env);
    await ready(env);
    await fleet.stop();
    await fleet.close();
    await drained(env);
    await expectAllAckedStored(fleet, `device = 'TERM-0'`);
    child.kill('SIGTERM');
    expect(await exited(child)).toBe(0);
  });
});
