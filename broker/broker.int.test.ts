import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect as connectTcp } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { pino } from 'pino';
import { Registry as PromRegistry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MessageSink, SenderIdentity, SinkOutcome } from '../protocol/identity.ts';
import { parseTopic, topics } from '../protocol/topics.ts';
import { type Broker, createBroker } from './create-broker.ts';
import { Registry } from './registry.ts';

interface Received {
  readonly sender: SenderIdentity;
  readonly topic: string;
  readonly payload: string;
}

/**
 * The broker is handed its sink as aedes is handed its persistence; this one records what it
 * gets and answers like ingest on the two checks the broker relies on (unknown topic, another
 * device's id, a payload that is not JSON). `gate` lets a test hold an answer back.
 */
class RecordingSink implements MessageSink {
  readonly received: Received[] = [];
  gate: Promise<void> | null = null;
  failWith: Error | null = null;

  async receive(sender: SenderIdentity, topic: string, payload: Buffer): Promise<SinkOutcome> {
    this.received.push({ sender, topic, payload: payload.toString() });
    const gate = this.gate;
    if (gate !== null) await gate;
    if (this.failWith !== null) throw this.failWith;
    const parsed = parseTopic(topic);
    if (parsed === null) return 'rejected';
    const own = parsed.key === 'signalState' ? (sender.intersectionId ?? sender.id) : sender.id;
    if (parsed.key !== 'signalPlan' && parsed.id !== own) return 'rejected';
    try {
      JSON.parse(payload.toString());
    } catch {
      return 'rejected';
    }
    return parsed.key === 'deviceStatus' ? 'ignored' : 'stored';
  }
}

let dir: string;
let registry: Registry;
let sink: RecordingSink;
let metrics: PromRegistry;
let broker: Broker;
let tcpPort: number;
let wsPort: number;
const clients: MqttClient[] = [];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'broker-'));
  registry = Registry.open(join(dir, 'registry.sqlite'));
  sink = new RecordingSink();
  metrics = new PromRegistry();
  broker = createBroker({
    registry,
    sink,
    logger: pino({ level: 'silent' }),
    metrics,
    now: () => 1_700_000_000_000,
    revocationSweepMs: 0,
  });
  const ports = await broker.listen({ tcpPort: 0, host: '127.0.0.1', wsPort: 0 });
  tcpPort = ports.tcpPort;
  wsPort = ports.wsPort ?? -1;
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.endAsync(true)));
  await broker.close();
  registry.close();
  rmSync(dir, { recursive: true, force: true });
});

function options(id: string, secret: string, extra: IClientOptions = {}): IClientOptions {
  return {
    clientId: id,
    username: id,
    password: secret,
    protocolVersion: 4,
    reconnectPeriod: 0,
    connectTimeout: 10_000,
    ...extra,
  };
}

async function connect(id: string, secret: string, extra: IClientOptions = {}): Promise<MqttClient> {
  const c = await mqtt.connectAsync(`mqtt://127.0.0.1:${tcpPort}`, options(id, secret, extra));
  clients.push(c);
  return c;
}

/** The CONNACK return code a refused connection got. */
async function refusal(id: string, secret: string, extra: IClientOptions = {}): Promise<number> {
  try {
    const c = await mqtt.connectAsync(`mqtt://127.0.0.1:${tcpPort}`, options(id, secret, extra));
    clients.push(c);
  } catch (err) {
    return (err as { code: number }).code;
  }
  throw new Error('connection was accepted');
}

/** Polls a condition the broker reaches asynchronously (bounded: 500 × 10 ms). */
async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

function closed(c: MqttClient): Promise<void> {
  return new Promise((resolve) => c.once('close', () => resolve()));
}

interface Message {
  readonly topic: string;
  readonly payload: string;
  readonly retain: boolean;
}

function nextMessage(c: MqttClient): Promise<Message> {
  return new Promise((resolve) =>
    c.once('message', (topic, payload, packet) =>
      resolve({ topic, payload: payload.toString(), retain: packet.retain }),
    ),
  );
}

/** The SUBACK return codes, in the order of `filters` (mqtt.js reports any 0x80 as an error). */
async function suback(c: MqttClient, filters: Record<string, { qos: 0 | 1 }>): Promise<number[]> {
  try {
    return (await c.subscribeAsync(filters)).map((g) => g.qos);
  } catch (err) {
    const packet = (err as { packet?: { granted?: number[] } }).packet;
    if (packet?.granted === undefined) throw err;
    return packet.granted;
  }
}

async function metricValue(name: string, labels: Record<string, string>): Promise<number> {
  const m = (await metrics.getMetricsAsJSON()).find((x) => x.name === name);
  const v = (m?.values ?? []).find((x) => Object.entries(labels).every(([k, l]) => x.labels[k] === l));
  return v?.value ?? 0;
}

const counts = (ts = Date.now()) => JSON.stringify({ ts, intervalS: 60, intensity: 12 });

async function camera(id = 'cam-1') {
  const { secret } = await registry.addDevice({ id, type: 'camera', intersectionId: 'I-1', approach: 'N' });
  return { id, secret };
}

describe('authentication', () => {
  it('accepts a registered device and hands its identity to the sink', async () => {
    const cam = await camera();
    const c = await connect(cam.id, cam.secret);
    await c.publishAsync(topics.cameraCounts.of(cam.id), counts(), { qos: 1 });
    expect(sink.received).toHaveLength(1);
    expect(sink.received[0]?.sender).toMatchObject({ id: 'cam-1', deviceType: 'camera', approach: 'N' });
  });

  it('refuses unknown credentials with CONNACK 4', async () => {
    expect(await refusal('ghost', 'whatever')).toBe(4);
    expect(await metricValue('broker_auth_failures_total', { reason: 'unknown' })).toBe(1);
  });

  it('refuses a wrong secret with CONNACK 4', async () => {
    const cam = await camera();
    expect(await refusal(cam.id, `${cam.secret}x`)).toBe(4);
    expect(await metricValue('broker_auth_failures_total', { reason: 'bad_secret' })).toBe(1);
  });

  it('refuses missing credentials with CONNACK 4', async () => {
    expect(await refusal('cam-1', '', { username: undefined, password: undefined })).toBe(4);
  });

  it('refuses a revoked device with CONNACK 5', async () => {
    const cam = await camera();
    registry.revokeDevice(cam.id);
    expect(await refusal(cam.id, cam.secret)).toBe(5);
    expect(await metricValue('broker_auth_failures_total', { reason: 'revoked' })).toBe(1);
  });

  it('refuses a client id other than the username with CONNACK 2', async () => {
    const cam = await camera();
    await camera('cam-2');
    expect(await refusal(cam.id, cam.secret, { clientId: 'cam-2' })).toBe(2);
    expect(await metricValue('broker_auth_failures_total', { reason: 'client_id_mismatch' })).toBe(1);
  });

  it('disconnects a connected client once its registration is revoked', async () => {
    const cam = await camera();
    const other = await camera('cam-2');
    const c = await connect(cam.id, cam.secret);
    const keep = await connect(other.id, other.secret);
    const gone = closed(c);
    registry.revokeDevice(cam.id);
    expect(broker.sweepRevocations()).toBe(1);
    await gone;
    expect(keep.connected).toBe(true);
    expect(await metricValue('broker_revocation_disconnects_total', {})).toBe(1);
  });
});

describe('publish ACL', () => {
  it('disconnects a device that publishes a signal plan, and the sink never sees it', async () => {
    const { secret } = await registry.addDevice({ id: 'sig-1', type: 'signal', intersectionId: 'I-1' });
    const c = await connect('sig-1', secret);
    const gone = closed(c);
    c.publish(topics.signalPlan.of('I-1'), '{}', { qos: 1 });
    await gone;
    expect(sink.received).toEqual([]);
    expect(
      await metricValue('broker_acl_refusals_total', { action: 'publish', reason: 'plan_forbidden' }),
    ).toBe(1);
  });

  it('disconnects a device that publishes another kind of device topic', async () => {
    const cam = await camera();
    const c = await connect(cam.id, cam.secret);
    const gone = closed(c);
    c.publish(topics.meterReadings.of(cam.id), '{}', { qos: 1 });
    await gone;
    expect(sink.received).toEqual([]);
    expect(
      await metricValue('broker_acl_refusals_total', { action: 'publish', reason: 'topic_kind_forbidden' }),
    ).toBe(1);
  });

  it('disconnects a device that publishes to $SYS or retains telemetry', async () => {
    const cam = await camera();
    const a = await connect(cam.id, cam.secret);
    const closedA = closed(a);
    a.publish('$SYS/x', 'hi', { qos: 0 });
    await closedA;
    const b = await connect(cam.id, cam.secret);
    const closedB = closed(b);
    b.publish(topics.cameraCounts.of(cam.id), counts(), { qos: 1, retain: true });
    await closedB;
    expect(sink.received).toEqual([]);
  });

  it('hands own-kind topics under another id to the sink and keeps the device connected', async () => {
    const cam = await camera();
    const c = await connect(cam.id, cam.secret);
    await c.publishAsync(topics.cameraCounts.of('cam-99'), counts(), { qos: 1 });
    await c.publishAsync('city/not/in/protocol', counts(), { qos: 1 });
    await c.publishAsync(topics.cameraCounts.of(cam.id), counts(), { qos: 1 });
    expect(c.connected).toBe(true);
    expect(sink.received.map((r) => r.topic)).toEqual([
      topics.cameraCounts.of('cam-99'),
      'city/not/in/protocol',
      topics.cameraCounts.of(cam.id),
    ]);
    expect(await metricValue('broker_messages_total', { outcome: 'rejected' })).toBe(2);
    expect(await metricValue('broker_messages_total', { outcome: 'stored' })).toBe(1);
  });
});

describe('acknowledgement and forwarding', () => {
  it('sends the QoS 1 PUBACK only after the sink has answered', async () => {
    const cam = await camera();
    const c = await connect(cam.id, cam.secret);
    let release = () => {};
    sink.gate = new Promise<void>((r) => {
      release = r;
    });
    let firstAcked = false;
    const first = c.publishAsync(topics.cameraCounts.of(cam.id), counts(1), { qos: 1 }).then(() => {
      firstAcked = true;
    });
    await until(() => sink.received.length === 1, 'the sink to receive the first message');
    sink.gate = null;
    // The second message passes the sink at once; its PUBACK arriving proves the broker has
    // acknowledged everything it could, and the first is still held by the sink.
    await c.publishAsync(topics.cameraCounts.of(cam.id), counts(2), { qos: 1 });
    expect(firstAcked).toBe(false);
    release();
    await first;
    expect(firstAcked).toBe(true);
  });

  it('does not acknowledge a message the sink failed to take, and disconnects the sender', async () => {
    const cam = await camera();
    const c = await connect(cam.id, cam.secret);
    sink.failWith = new Error('disk full');
    let acked = false;
    const gone = closed(c);
    c.publish(topics.cameraCounts.of(cam.id), counts(), { qos: 1 }, (err) => {
      if (!err) acked = true;
    });
    await gone;
    expect(acked).toBe(false);
    expect(await metricValue('broker_sink_errors_total', {})).toBe(1);
  });

  it('forwards stored messages to a telemetry subscriber but never rejected ones', async () => {
    const cam = await camera();
    const svc = await registry.addService('dash', ['telemetry:subscribe']);
    const sub = await connect(svc.id, svc.secret);
    const got: string[] = [];
    sub.on('message', (topic, payload) => got.push(`${topic} ${payload.toString()}`));
    await sub.subscribeAsync('city/traffic/#', { qos: 1 });
    const c = await connect(cam.id, cam.secret);
    await c.publishAsync(topics.cameraCounts.of(cam.id), 'not json', { qos: 1 });
    await c.publishAsync(topics.cameraCounts.of('cam-99'), counts(5), { qos: 1 });
    await c.publishAsync(topics.cameraCounts.of(cam.id), counts(7), { qos: 1 });
    await until(() => got.length >= 1, 'the valid message to be forwarded');
    // the last message is forwarded, so the two before it (handled first) would have been too
    await c.publishAsync(topics.cameraCounts.of(cam.id), counts(8), { qos: 1 });
    await until(() => got.length >= 2, 'the second valid message');
    expect(got).toEqual([
      `${topics.cameraCounts.of(cam.id)} ${counts(7)}`,
      `${topics.cameraCounts.of(cam.id)} ${counts(8)}`,
    ]);
  });

  it('never retains a status message the sink rejected', async () => {
    const cam = await camera();
    const svc = await registry.addService('dash', ['telemetry:subscribe']);
    const c = await connect(cam.id, cam.secret);
    // retained, on a status topic the camera may use in kind, but not its own: rejected
    await c.publishAsync(topics.deviceStatus.of('cam-99'), JSON.stringify({ status: 'online' }), {
      qos: 1,
      retain: true,
    });
    const sub = await connect(svc.id, svc.secret);
    const got: string[] = [];
    sub.on('message', (topic) => got.push(topic));
    await sub.subscribeAsync(topics.deviceStatus.filter, { qos: 1 });
    await until(() => got.includes(topics.deviceStatus.of(cam.id)), "the camera's own retained status");
    expect(got).not.toContain(topics.deviceStatus.of('cam-99'));
  });
});

describe('subscriptions', () => {
  it('refuses a wildcard subscription by a device with SUBACK 128 and keeps it connected', async () => {
    const cam = await camera();
    const c = await connect(cam.id, cam.secret);
    expect(await suback(c, { 'city/#': { qos: 1 } })).toEqual([128]);
    expect(c.connected).toBe(true);
    expect(
      await metricValue('broker_acl_refusals_total', { action: 'subscribe', reason: 'wildcard_forbidden' }),
    ).toBe(1);
  });

  it('refuses $SYS and foreign plan topics, grants the own plan topic, in one SUBSCRIBE', async () => {
    const { secret } = await registry.addDevice({ id: 'sig-1', type: 'signal', intersectionId: 'I-1' });
    const c = await connect('sig-1', secret);
    const filters = {
      [topics.signalPlan.of('I-2')]: { qos: 1 },
      '$SYS/#': { qos: 0 },
      [topics.signalPlan.of('I-1')]: { qos: 1 },
    } as const;
    expect(await suback(c, filters)).toEqual([128, 128, 1]);
    expect(c.connected).toBe(true);
  });

  it('delivers a plan published by a service account to the signal subscribed to its own plan topic', async () => {
    const { secret } = await registry.addDevice({ id: 'sig-1', type: 'signal', intersectionId: 'I-1' });
    const control = await registry.addService('control', ['plan:publish', 'telemetry:subscribe']);
    const signal = await connect('sig-1', secret);
    await signal.subscribeAsync(topics.signalPlan.of('I-1'), { qos: 1 });
    const received = nextMessage(signal);
    const plan = JSON.stringify({
      ts: Date.now(),
      planId: 'p1',
      source: 'adaptive',
      cycleS: 60,
      offsetS: 0,
      phases: [{ id: 'A', movements: ['NT'], greenS: 52, yellowS: 3, allRedS: 2 }],
    });
    const svc = await connect(control.id, control.secret);
    await svc.publishAsync(topics.signalPlan.of('I-1'), plan, { qos: 1 });
    const msg = await received;
    expect(msg.topic).toBe(topics.signalPlan.of('I-1'));
    expect(msg.payload).toBe(plan);
    expect(sink.received.at(-1)?.sender.role).toBe('service');
  });
});

describe('device status', () => {
  it('publishes a retained online status on connect and offline on disconnect', async () => {
    const cam = await camera();
    const svc = await registry.addService('dash', ['telemetry:subscribe']);
    const c = await connect(cam.id, cam.secret);

    const first = await connect(svc.id, svc.secret);
    const retained = nextMessage(first);
    await first.subscribeAsync(topics.deviceStatus.of(cam.id), { qos: 1 });
    const online = await retained;
    expect(JSON.parse(online.payload)).toEqual({ status: 'online', ts: 1_700_000_000_000 });
    expect(online.retain).toBe(true);

    const live = nextMessage(first);
    await c.endAsync();
    expect(JSON.parse((await live).payload)).toEqual({ status: 'offline', ts: 1_700_000_000_000 });

    // a later subscriber (the same account reconnecting) gets the retained offline status
    const later = await connect(svc.id, svc.secret);
    const replay = nextMessage(later);
    await later.subscribeAsync(topics.deviceStatus.of(cam.id), { qos: 1 });
    const replayed = await replay;
    expect(JSON.parse(replayed.payload).status).toBe('offline');
    expect(replayed.retain).toBe(true);
  });

  it('counts connected clients by role and type', async () => {
    const cam = await camera();
    const svc = await registry.addService('dash', ['telemetry:subscribe']);
    await connect(cam.id, cam.secret);
    await connect(svc.id, svc.secret);
    expect(await metricValue('broker_connected_clients', { role: 'device', type: 'camera' })).toBe(1);
    expect(await metricValue('broker_connected_clients', { role: 'service', type: 'service' })).toBe(1);
    expect(await metricValue('broker_connected_clients', { role: 'device', type: 'meter' })).toBe(0);
  });
});

describe('WebSocket listener', () => {
  it('serves authenticated MQTT over ws://…/mqtt', async () => {
    const cam = await camera();
    const c = await mqtt.connectAsync(`ws://127.0.0.1:${wsPort}/mqtt`, options(cam.id, cam.secret));
    clients.push(c);
    await c.publishAsync(topics.cameraCounts.of(cam.id), counts(), { qos: 1 });
    expect(sink.received.map((r) => r.sender.id)).toEqual([cam.id]);
  });

  it('refuses bad credentials over WebSocket too', async () => {
    const cam = await camera();
    await expect(
      mqtt.connectAsync(`ws://127.0.0.1:${wsPort}/mqtt`, options(cam.id, 'wrong')),
    ).rejects.toMatchObject({ code: 4 });
  });
});

describe('TLS listener', () => {
  it('serves authenticated MQTT over TLS when a certificate and key are configured', async () => {
    const cert = join(dir, 'cert.pem');
    const key = join(dir, 'key.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        key,
        '-out',
        cert,
      ],
      { stdio: 'ignore' },
    );
    const secure = createBroker({
      registry,
      sink,
      logger: pino({ level: 'silent' }),
      metrics: new PromRegistry(),
    });
    try {
      const ports = await secure.listen({ tcpPort: 0, host: '127.0.0.1', tls: { port: 0, cert, key } });
      const cam = await camera();
      const c = await mqtt.connectAsync(`mqtts://127.0.0.1:${ports.tlsPort}`, {
        ...options(cam.id, cam.secret),
        ca: readFileSync(cert),
      });
      clients.push(c);
      await c.publishAsync(topics.cameraCounts.of(cam.id), counts(), { qos: 1 });
      expect(sink.received.map((r) => r.sender.id)).toEqual([cam.id]);
    } finally {
      await Promise.all(clients.splice(0).map((c) => c.endAsync(true)));
      await secure.close();
    }
  });
});

describe('gateway identity', () => {
  it('picks up meters provisioned behind a connected gateway without a reconnect', async () => {
    const [gw] = await registry.addDevices([
      { id: 'gw-1', type: 'gateway' },
      { id: 'm-1', type: 'meter', gatewayId: 'gw-1', meterKind: 'water' },
    ]);
    const c = await connect('gw-1', gw?.secret ?? '');
    const reading = (meterId: string) =>
      JSON.stringify([{ ts: Date.now(), kind: 'water', value: 1, meterId }]);
    await c.publishAsync(topics.gatewayReadings.of('gw-1'), reading('m-1'), { qos: 1 });
    expect([...(sink.received[0]?.sender.gatewayMeters?.keys() ?? [])]).toEqual(['m-1']);

    await registry.addDevice({ id: 'm-2', type: 'meter', gatewayId: 'gw-1', meterKind: 'electricity' });
    registry.revokeDevice('m-1');
    expect(broker.refreshGateways()).toBe(1);
    expect(broker.refreshGateways()).toBe(0);
    await c.publishAsync(topics.gatewayReadings.of('gw-1'), reading('m-2'), { qos: 1 });
    expect(sink.received[1]?.sender.gatewayMeters).toEqual(new Map([['m-2', 'electricity']]));
  });
});

describe('close', () => {
  it('disconnects connected clients and sockets that never sent CONNECT', async () => {
    const cam = await camera();
    const c = await connect(cam.id, cam.secret);
    const clientGone = closed(c);
    const silent = connectTcp(tcpPort, '127.0.0.1');
    await new Promise<void>((resolve) => silent.once('connect', () => resolve()));
    const silentGone = new Promise<void>((resolve) => silent.once('close', () => resolve()));
    // bounded well below aedes' 30 s connect timeout, which would otherwise end the silent socket
    await Promise.race([
      broker.close(),
      new Promise((_, reject) => setTimeout(() => reject(new Error('close() hung')), 20_000)),
    ]);
    await Promise.all([clientGone, silentGone]);
  });
});

describe('in-process service connections', () => {
  async function service(id: string, rights: Parameters<Registry['addService']>[1]) {
    const svc = await registry.addService(id, rights);
    const auth = await registry.check(svc.id, svc.secret);
    if (!auth.ok) throw new Error(auth.reason);
    return broker.connectLocal(auth.identity);
  }

  it('receives stored device messages but never rejected ones', async () => {
    const cam = await camera();
    const local = await service('dash', ['telemetry:subscribe']);
    const got: string[] = [];
    await local.subscribe(['city/traffic/#'], (topic, payload) => got.push(`${topic} ${payload.toString()}`));
    const c = await connect(cam.id, cam.secret);
    await c.publishAsync(topics.cameraCounts.of(cam.id), 'not json', { qos: 1 });
    await c.publishAsync(topics.cameraCounts.of(cam.id), counts(7), { qos: 1 });
    await until(() => got.length >= 1, 'the valid message');
    expect(got).toEqual([`${topics.cameraCounts.of(cam.id)} ${counts(7)}`]);
  });

  it('publishes a plan through the sink to the signal subscribed to it', async () => {
    const { secret } = await registry.addDevice({ id: 'sig-1', type: 'signal', intersectionId: 'I-1' });
    const signal = await connect('sig-1', secret);
    await signal.subscribeAsync(topics.signalPlan.of('I-1'), { qos: 1 });
    const received = nextMessage(signal);
    const local = await service('control', ['plan:publish']);
    const plan = JSON.stringify({ ts: Date.now(), planId: 'p1', source: 'adaptive', cycleS: 60 });
    await local.publish(topics.signalPlan.of('I-1'), plan, { qos: 1 });
    // stored by the sink before it is delivered, as a remote service's plan is
    expect(sink.received.at(-1)).toMatchObject({ topic: topics.signalPlan.of('I-1'), payload: plan });
    expect(sink.received.at(-1)?.sender.id).toBe('control');
    expect((await received).payload).toBe(plan);
    expect(await metricValue('broker_messages_total', { outcome: 'stored' })).toBe(1);
  });

  it('holds a service to its rights, and refuses a message the sink rejects', async () => {
    const telemetryOnly = await service('dash', ['telemetry:subscribe']);
    await expect(telemetryOnly.publish(topics.signalPlan.of('I-1'), '{}', { qos: 1 })).rejects.toThrow(
      /publish refused/,
    );
    const planOnly = await service('control', ['plan:publish']);
    await expect(planOnly.subscribe(['city/#'], () => {})).rejects.toThrow(/refused/);
    await expect(planOnly.publish(topics.signalPlan.of('I-1'), 'not json', { qos: 1 })).rejects.toThrow(
      /rejected by ingest/,
    );
    await expect(planOnly.publish(topics.cameraCounts.of('cam-1'), counts(1), { qos: 1 })).rejects.toThrow(
      /publish refused/,
    );
    expect(sink.received.map((r) => r.payload)).toEqual(['not json']);
  });

  it('stops delivering once closed, and refuses device identities', async () => {
    const cam = await camera();
    const local = await service('dash', ['telemetry:subscribe']);
    const got: string[] = [];
    await local.subscribe(['city/traffic/#'], (topic) => got.push(topic));
    const c = await connect(cam.id, cam.secret);
    await c.publishAsync(topics.cameraCounts.of(cam.id), counts(1), { qos: 1 });
    await until(() => got.length === 1, 'the first message');
    await local.close();
    expect(local.connected).toBe(false);
    await c.publishAsync(topics.cameraCounts.of(cam.id), counts(2), { qos: 1 });
    // a second subscriber proves the message went through the broker after the close
    const other = await service('dash2', ['telemetry:subscribe']);
    const seen: string[] = [];
    await other.subscribe(['city/traffic/#'], (topic) => seen.push(topic));
    await c.publishAsync(topics.cameraCounts.of(cam.id), counts(3), { qos: 1 });
    await until(() => seen.length === 1, 'the message after close');
    expect(got).toHaveLength(1);
    const auth = await registry.check(cam.id, cam.secret);
    if (!auth.ok) throw new Error(auth.reason);
    expect(() => broker.connectLocal(auth.identity)).toThrow(/service accounts/);
  });
});
