import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import pino from 'pino';
import { Registry as MetricsRegistry } from 'prom-client';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Broker, createBroker, Registry } from '../../broker/index.ts';
import { enforceEnvelope } from '../../control/index.ts';
import { createIngest, type Ingest } from '../../ingest/index.ts';
import { type SignalPlan, topics } from '../../protocol/index.ts';
import { ensureInfluxd, type Influxd, startInfluxd } from '../../scripts/lib/influxd.ts';
import type { Delta, Snapshot } from '../shared/contract.ts';
import { buildDashboard } from './build-dashboard.ts';
import { systemClock } from './clock.ts';
import { LiveState } from './live/live-state.ts';
import { connectDashboardMqtt, type DashboardMqtt } from './live/mqtt-feed.ts';
import { tinyNetwork } from './test-support/tiny-network.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(cond: () => boolean, what: string, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond() && Date.now() < end) await sleep(20);
  if (!cond()) throw new Error(`timed out waiting for ${what}`);
}

const logger = pino({ level: 'silent' });
let dir = '';
let influx: Influxd;
let registry: Registry;
let ingest: Ingest;
let broker: Broker;
let feed: DashboardMqtt;
let app: Awaited<ReturnType<typeof buildDashboard>>;
let live: LiveState;
let mqttUrl = '';
let baseUrl = '';
const clients: MqttClient[] = [];
const sockets: Socket[] = [];

async function device(id: string, secret: string): Promise<MqttClient> {
  const c = await mqtt.connectAsync(mqttUrl, {
    clientId: id,
    username: id,
    password: secret,
    reconnectPeriod: 0,
  });
  clients.push(c);
  return c;
}

/**
 * The whole path with real parts: a camera publishes through the authenticated broker and
 * ingest (spooling to a real influxd), the dashboard's service account receives it, the browser
 * socket shows it; an operator's override goes through the envelope and the broker to the signal.
 */
beforeAll(async () => {
  ensureInfluxd();
  dir = mkdtempSync(join(tmpdir(), 'dash-e2e-'));
  influx = await startInfluxd({ dataDir: join(dir, 'influx'), db: 'city' });
  registry = Registry.open(join(dir, 'registry.sqlite'));
  const metrics = new MetricsRegistry();
  ingest = createIngest({
    journalPath: join(dir, 'spool.sqlite'),
    influx: { url: influx.url, api: 'v1', db: 'city' },
    metrics,
    logger,
  });
  ingest.start();
  broker = createBroker({ registry, sink: ingest, logger, metrics });
  const ports = await broker.listen({ tcpPort: 0, host: '127.0.0.1' });
  mqttUrl = `mqtt://127.0.0.1:${ports.tcpPort}`;
  const svc = await registry.addService('dashboard', ['telemetry:subscribe', 'plan:publish']);
  await registry.addOperator('oscar', 'operator', 'operator-password-1');
  const network = tinyNetwork();
  live = new LiveState(network);
  feed = connectDashboardMqtt({
    url: mqttUrl,
    id: svc.id,
    secret: svc.secret,
    live,
    clock: systemClock,
    logger,
  });
  app = await buildDashboard({
    registry,
    network,
    influx: { url: influx.url, db: 'city' },
    live,
    auditDbPath: join(dir, 'audit.sqlite'),
    publishPlan: (id, plan) => feed.publishPlan(id, plan),
    envelope: enforceEnvelope,
    ingestStatus: () => ingest.status(),
    clock: systemClock,
    logger,
    cookieSecret: 'e2e-cookie-secret-long-enough-for-signing',
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}, 120_000);

afterAll(async () => {
  for (const s of sockets) s.disconnect();
  for (const c of clients) await c.endAsync();
  await app?.close();
  await feed?.close();
  await broker?.close();
  await ingest?.stop();
  registry?.close();
  await influx?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function login(): Promise<string> {
  const res = await fetch(`${baseUrl}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'oscar', password: 'operator-password-1' }),
  });
  expect(res.status).toBe(200);
  return (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
}

describe('dashboard end to end', () => {
  it('shows a camera’s counts on the live socket after they pass broker and ingest', async () => {
    const cam = await registry.addDevice({
      id: 'cam-A-N',
      type: 'camera',
      intersectionId: 'A',
      approach: 'N',
    });
    // The dashboard's subscription must stand before the camera publishes (counts are not retained).
    await until(() => live.feedConnected, 'the dashboard feed');
    const cookie = await login();
    const s = connect(baseUrl, { transports: ['websocket'], reconnection: false, extraHeaders: { cookie } });
    sockets.push(s);
    const flows: number[] = [];
    s.on('snapshot', (x: Snapshot, ack: () => void) => {
      ack();
      const l = x.links.find((k) => k.id === 'A-in-N');
      if (l) flows.push(l.flowVehPerH);
    });
    s.on('delta', (x: Delta, ack: () => void) => {
      ack();
      const l = x.links?.find((k) => k.id === 'A-in-N');
      if (l) flows.push(l.flowVehPerH);
    });
    await new Promise<void>((resolve, reject) => {
      s.on('connect', () => resolve());
      s.on('connect_error', reject);
    });
    s.emit('viewport', { bbox: [37.59, 55.74, 37.61, 55.76], zoom: 16 });
    await until(() => flows.length > 0, 'snapshot');
    const camera = await device(cam.id, cam.secret);
    await camera.publishAsync(
      topics.cameraCounts.of('cam-A-N'),
      JSON.stringify({ ts: Date.now(), intervalS: 60, intensity: 25, queueLength: 6 }),
      { qos: 1 },
    );
    await until(() => flows.at(-1) === 1500, 'a delta with 1,500 veh/h on A-in-N');
  });

  it('publishes an accepted override through the broker to the signal, and audits it', async () => {
    const sig = await registry.addDevice({ id: 'A', type: 'signal', intersectionId: 'A' });
    const signal = await device(sig.id, sig.secret);
    const plans: SignalPlan[] = [];
    signal.on('message', (_t, payload) => plans.push(JSON.parse(payload.toString()) as SignalPlan));
    await signal.subscribeAsync(topics.signalPlan.of('A'), { qos: 1 });
    const cookie = await login();
    const res = await fetch(`${baseUrl}/api/overrides`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify({
        intersectionId: 'A',
        kind: 'plan',
        planId: 'night',
        minutes: 20,
        reason: 'road works',
      }),
    });
    expect(res.status).toBe(201);
    await until(() => plans.length === 1, 'the plan at the signal');
    expect(plans[0]).toMatchObject({ planId: 'night', source: 'operator' });
    expect((plans[0]?.expiresAt ?? 0) - (plans[0]?.ts ?? 0)).toBe(20 * 60_000);
    const audit = await fetch(`${baseUrl}/api/audit?user=oscar`, { headers: { cookie } });
    const { entries } = (await audit.json()) as { entries: { action: string; outcome: string }[] };
    expect(entries).toContainEqual(expect.objectContaining({ action: 'override.create', outcome: 'ok' }));
  });
});
