import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { pino } from 'pino';
import { Registry as PromRegistry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Broker, createBroker, Registry } from '../../broker/index.ts';
import { createIngest, type Ingest } from '../../ingest/index.ts';
import { type CityNetwork, SignalPlan, topics } from '../../protocol/index.ts';
import { type Influxd, startInfluxd } from '../../scripts/lib/influxd.ts';
import { generateNetwork } from '../../simulators/index.ts';
import { checkPlan } from '../envelope/check-plan.ts';
import { defaultEnvelopeConfig } from '../envelope/envelope-config.ts';
import { type ControlLoop, startControlLoop } from './start-control-loop.ts';

// The loop against the real platform path: broker with its registry, ingest spooling into a real
// InfluxDB, device clients on their own credentials. The loop's clock is a test-driven wall clock
// (starting now, so ingest's timestamp window accepts what it stamps) and jumps ahead in 5 s steps.

let dir: string;
let influx: Influxd;
let ingest: Ingest;
let registry: Registry;
let broker: Broker;
let port: number;
let network: CityNetwork;
let loop: ControlLoop;
const cameras: { id: string; client: MqttClient }[] = [];
let signal: MqttClient;
let operator: MqttClient;
const received: SignalPlan[] = [];
let nowMs = Date.now();
const logger = pino({ level: 'silent' });

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function connect(id: string, secret: string): Promise<MqttClient> {
  return mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, {
    clientId: id,
    username: id,
    password: secret,
    reconnectPeriod: 0,
    connectTimeout: 10_000,
  });
}

/** One 5 s counting interval: every live camera reports, then the loop's clock moves on. */
async function interval(live: boolean): Promise<void> {
  nowMs += 5000;
  if (live) {
    await Promise.all(
      cameras.map((c) =>
        c.client.publishAsync(
          topics.cameraCounts.of(c.id),
          JSON.stringify({ ts: nowMs, intervalS: 5, intensity: c.id.endsWith('N') ? 2 : 1, queueLength: 1 }),
          { qos: 1 },
        ),
      ),
    );
  }
  await sleep(60);
}

async function until(cond: () => boolean, step: () => Promise<void>, what: string, max = 80): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (cond()) return;
    await step();
  }
  throw new Error(
    `timed out waiting for ${what}: ${JSON.stringify({ c: loop.counters(), r: received.map((p) => p.source), s: loop.status(network.intersections[0]?.id as string) })}`,
  );
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'control-loop-'));
  influx = await startInfluxd({ dataDir: join(dir, 'influxdb'), db: 'city' });
  const metrics = new PromRegistry();
  ingest = createIngest({
    journalPath: join(dir, 'spool.sqlite'),
    influx: { url: influx.url, api: 'v1', db: 'city' },
    metrics,
    logger,
    minRetryMs: 50,
    maxRetryMs: 500,
  });
  ingest.start();
  registry = Registry.open(join(dir, 'registry.sqlite'));
  broker = createBroker({ registry, sink: ingest, logger, metrics, revocationSweepMs: 0 });
  port = (await broker.listen({ tcpPort: 0, host: '127.0.0.1' })).tcpPort;

  network = generateNetwork({ intersections: 4, seed: 7 });
  const i0 = network.intersections[0];
  if (!i0) throw new Error('no intersection');
  for (const cam of network.cameras.filter((c) => c.intersectionId === i0.id)) {
    const creds = await registry.addDevice({
      id: cam.id,
      type: 'camera',
      intersectionId: i0.id,
      approach: cam.approach,
    });
    cameras.push({ id: cam.id, client: await connect(creds.id, creds.secret) });
  }
  const sig = await registry.addDevice({ id: `SIG-${i0.id}`, type: 'signal', intersectionId: i0.id });
  signal = await connect(sig.id, sig.secret);
  signal.on('message', (_t, payload) => received.push(SignalPlan.parse(JSON.parse(payload.toString()))));
  await signal.subscribeAsync(topics.signalPlan.of(i0.id), { qos: 1 });
  const op = await registry.addService('svc-dashboard', ['plan:publish', 'telemetry:subscribe']);
  operator = await connect(op.id, op.secret);

  const svc = await registry.addService('svc-control', ['plan:publish', 'telemetry:subscribe']);
  loop = startControlLoop({
    brokerUrl: `mqtt://127.0.0.1:${port}`,
    credentials: svc,
    network,
    controller: 'adaptive',
    tickMs: 20,
    leadS: 30,
    logger,
    clock: { now: () => nowMs, setInterval, clearInterval: (h) => clearInterval(h as NodeJS.Timeout) },
  });
  await loop.ready();
}, 120_000);

afterAll(async () => {
  await loop?.stop();
  await Promise.all([...cameras.map((c) => c.client.endAsync()), signal?.endAsync(), operator?.endAsync()]);
  await broker?.close();
  await ingest?.stop();
  registry?.close();
  await influx?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('control loop over real MQTT', () => {
  it('sends adaptive plans that satisfy the envelope on live counts', async () => {
    const i0 = network.intersections[0]?.id as string;
    for (let k = 0; k < 6; k++) await interval(true);
    await until(
      () => received.some((p) => p.source === 'adaptive'),
      () => interval(true),
      'an adaptive plan',
    );
    const plan = received.find((p) => p.source === 'adaptive') as SignalPlan;
    const junction = network.intersections[0];
    if (!junction) throw new Error('no junction');
    expect(checkPlan(junction, plan, null, defaultEnvelopeConfig)).toEqual([]);
    const s = loop.status(i0);
    expect(s?.mode).toBe('adaptive');
    expect(s?.freshApproaches).toBe(cameras.length);
    expect(s?.fallbackReason).toBeNull();
    // Junctions whose cameras never reported run their stored plans, and say why.
    await until(
      () => loop.status(network.intersections[1]?.id as string)?.mode === 'fallback',
      () => interval(true),
      'fallback elsewhere',
    );
    expect(loop.status(network.intersections[1]?.id as string)?.fallbackReason).toMatch(/stale or missing/);
  });

  it('falls back to the stored plan when counts stop, and resumes when they return', async () => {
    const i0 = network.intersections[0]?.id as string;
    const before = received.length;
    await until(
      () => received.slice(before).some((p) => p.source === 'fixed'),
      () => interval(false),
      'a fallback plan',
    );
    expect(loop.status(i0)?.mode).toBe('fallback');
    expect(loop.status(i0)?.fallbackReason).toMatch(/stale or missing on \d of \d approaches/);
    const resumed = received.length;
    await until(
      () => received.slice(resumed).some((p) => p.source === 'adaptive'),
      () => interval(true),
      'recovery',
    );
    expect(loop.status(i0)?.mode).toBe('adaptive');
  });

  it('stands aside while an operator override is in force', async () => {
    const i0 = network.intersections[0];
    if (!i0) throw new Error('no junction');
    const stored = i0.plans[0];
    if (!stored) throw new Error('no stored plan');
    const { id, ...timing } = stored;
    const override: SignalPlan = {
      ...timing,
      ts: nowMs,
      planId: id,
      source: 'operator',
      expiresAt: nowMs + 600_000,
    };
    await operator.publishAsync(topics.signalPlan.of(i0.id), JSON.stringify(override), { qos: 1 });
    await until(
      () => loop.status(i0.id)?.mode === 'operator',
      () => sleep(50),
      'operator mode',
    );
    const sentBefore = loop.counters().plansSent;
    const seen = received.length;
    for (let k = 0; k < 30; k++) await interval(true);
    // Other junctions keep being planned; this one is left alone.
    expect(received.slice(seen).filter((p) => p.source !== 'operator')).toEqual([]);
    expect(loop.counters().plansSent).toBeGreaterThan(sentBefore);
    // Cancel: the stored plan with expiresAt = now ends the override.
    await operator.publishAsync(
      topics.signalPlan.of(i0.id),
      JSON.stringify({ ...override, expiresAt: nowMs }),
      { qos: 1 },
    );
    await until(
      () => received.slice(seen).some((p) => p.source === 'adaptive'),
      () => interval(true),
      'control resumed',
    );
  });

  it('leaves every plan it sent in InfluxDB via ingest', async () => {
    const i0 = network.intersections[0]?.id as string;
    const sent = received.filter((p) => p.source !== 'operator').length;
    expect(sent).toBeGreaterThan(2);
    let rows = 0;
    for (let k = 0; k < 100 && rows < sent; k++) {
      const q = `SELECT count(cycleS) FROM signal_plan WHERE device = '${i0}' AND sender = 'svc-control'`;
      const res = await fetch(`${influx.url}/query?${new URLSearchParams({ db: 'city', q })}`);
      const body = (await res.json()) as { results: { series?: { values: [string, number][] }[] }[] };
      rows = body.results[0]?.series?.[0]?.values[0]?.[1] ?? 0;
      if (rows < sent) await sleep(100);
    }
    expect(rows).toBe(sent);
  });
});
