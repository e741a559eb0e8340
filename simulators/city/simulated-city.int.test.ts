import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { pino } from 'pino';
import { Registry as PromRegistry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Broker, createBroker, Registry } from '../../broker/index.ts';
import {
  type MessageSink,
  parseTopic,
  type SenderIdentity,
  type SignalPlan,
  type SignalState,
  type SinkOutcome,
  type TopicKey,
  topics,
} from '../../protocol/index.ts';
import { provisionCity } from './provision-city.ts';
import { type SimulatedCity, startSimulatedCity } from './start-simulated-city.ts';
import { tinyCity } from './tiny-city.ts';

interface Seen {
  readonly sender: string;
  readonly key: TopicKey;
  readonly id: string;
  readonly payload: unknown;
}

/**
 * The broker's sink, recording what the city sends. It checks every payload against the
 * protocol schema of its topic, as ingest would, and refuses what does not parse (so a refused
 * message shows up in `invalid` and a broken plan is never forwarded).
 */
class SchemaCheckingSink implements MessageSink {
  readonly seen: Seen[] = [];
  readonly invalid: string[] = [];

  async receive(sender: SenderIdentity, topic: string, payload: Buffer): Promise<SinkOutcome> {
    const parsed = parseTopic(topic);
    if (!parsed) {
      this.invalid.push(`unknown topic ${topic}`);
      return 'rejected';
    }
    let json: unknown;
    try {
      json = JSON.parse(payload.toString('utf8'));
    } catch {
      this.invalid.push(`bad JSON on ${topic}`);
      return 'rejected';
    }
    const check = topics[parsed.key].schema.safeParse(json);
    if (!check.success) {
      this.invalid.push(`${topic}: ${check.error.message}`);
      return 'rejected';
    }
    this.seen.push({ sender: sender.id, key: parsed.key, id: parsed.id, payload: check.data });
    return parsed.key === 'deviceStatus' ? 'ignored' : 'stored';
  }

  of(key: TopicKey): Seen[] {
    return this.seen.filter((s) => s.key === key);
  }
}

async function until<T>(
  what: string,
  probe: () => T | undefined | null | false,
  timeoutMs = 60_000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

let dir: string;
let registry: Registry;
let sink: SchemaCheckingSink;
let broker: Broker;
let brokerUrl: string;
let city: SimulatedCity | null;
const clients: MqttClient[] = [];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'city-'));
  registry = Registry.open(join(dir, 'registry.sqlite'));
  sink = new SchemaCheckingSink();
  broker = createBroker({
    registry,
    sink,
    logger: pino({ level: 'silent' }),
    metrics: new PromRegistry(),
    revocationSweepMs: 0,
  });
  const ports = await broker.listen({ tcpPort: 0, host: '127.0.0.1' });
  brokerUrl = `mqtt://127.0.0.1:${ports.tcpPort}`;
  city = null;
});

afterEach(async () => {
  await city?.stop();
  await Promise.all(clients.splice(0).map((c) => c.endAsync(true)));
  await broker.close();
  registry.close();
  rmSync(dir, { recursive: true, force: true });
});

async function serviceClient(rights: ('plan:publish' | 'telemetry:subscribe')[]): Promise<MqttClient> {
  const { id, secret } = await registry.addService('control-test', rights);
  const c = await mqtt.connectAsync(brokerUrl, {
    clientId: id,
    username: id,
    password: secret,
    reconnectPeriod: 0,
  });
  clients.push(c);
  return c;
}

function plan(planId: string, ts: number, phases: SignalPlan['phases']): SignalPlan {
  const cycleS = phases.reduce((s, p) => s + p.greenS + p.yellowS + p.allRedS, 0);
  return { ts, planId, source: 'adaptive', cycleS, offsetS: 0, phases };
}

const network = tinyCity(1);
const junction = network.intersections[0];
const phase = (i: number, greenS: number) => ({
  id: junction?.phases[i]?.id ?? `P${i}`,
  movements: junction?.phases[i]?.movements ?? [],
  greenS,
  yellowS: 3,
  allRedS: 2,
});

describe('simulated city over a real broker', () => {
  it('provisions once, keeps secrets in a 0600 file, and reuses them on the next start', async () => {
    const first = await provisionCity(registry, network, { dataDir: dir });
    expect(first.added).toBe(4 + 1 + 1 + 3); // cameras, signal, gateway, meters
    expect(statSync(first.credentialsPath).mode & 0o777).toBe(0o600);
    const again = await provisionCity(registry, network, { dataDir: dir });
    expect(again).toMatchObject({ added: 0, reused: 9 });
    expect([...again.credentials]).toEqual([...first.credentials]);
    for (const [id, secret] of again.credentials)
      expect(await registry.authenticate(id, secret)).not.toBeNull();
  });

  it('cameras, signals, meters and gateways publish schema-valid messages with their own identity', async () => {
    const { credentials } = await provisionCity(registry, network, { dataDir: dir });
    city = startSimulatedCity({
      brokerUrl,
      network,
      credentials,
      speed: 20,
      seed: 3,
      meterReadS: 30,
      gatewayPeriodS: 60,
      faults: {},
    });
    await until(
      'counts from every camera',
      () => new Set(sink.of('cameraCounts').map((s) => s.id)).size === 4,
    );
    await until(
      'a gateway batch and a direct meter reading',
      () => sink.of('gatewayReadings').length > 0 && sink.of('meterReadings').length > 0,
    );
    await until('signal state', () => sink.of('signalState').length > 2);
    expect(sink.invalid).toEqual([]);
    // Each message came from the device its topic names (the broker authenticated it).
    for (const s of sink.of('cameraCounts')) expect(s.sender).toBe(s.id);
    for (const s of sink.of('signalState')) expect(s.sender).toBe('sig-I1');
    const online = sink
      .of('deviceStatus')
      .filter((s) => (s.payload as { status: string }).status === 'online');
    expect(new Set(online.map((s) => s.id)).size).toBe(7); // 4 cameras, signal, gateway, direct meter
    const batch = sink.of('gatewayReadings')[0]?.payload as { meterId: string }[];
    expect(new Set(batch.map((r) => r.meterId))).toEqual(new Set(['m-B1-w', 'm-B1-e']));
  });

  it('a signal controller executes a plan a service account sends, and refuses an unsafe one', async () => {
    const { credentials } = await provisionCity(registry, network, { dataDir: dir });
    city = startSimulatedCity({ brokerUrl, network, credentials, speed: 20, seed: 4 });
    await until('the signal online', () => sink.of('signalState').length > 0);
    const control = await serviceClient(['plan:publish']);
    const states = () => sink.of('signalState').map((s) => s.payload as SignalState);

    const unsafe = plan('bad-plan', Date.now(), [
      { id: 'X', movements: ['NT', 'ET'], greenS: 30, yellowS: 3, allRedS: 2 },
      phase(1, 30),
    ]);
    await control.publishAsync(topics.signalPlan.of('I1'), JSON.stringify(unsafe), { qos: 1 });
    const refused = await until('the refusal in its state', () =>
      states().find((s) => s.lastRejectedPlan?.planId === 'bad-plan'),
    );
    expect(refused.lastRejectedPlan?.reason).toContain('conflicts');
    expect(states().some((s) => s.planId === 'bad-plan')).toBe(false);

    // Like a control loop, refresh the plan until the controller runs it (next cycle boundary).
    const good = () => plan('adaptive-7', Date.now(), [phase(0, 20), phase(1, 8), phase(2, 20), phase(3, 8)]);
    const refresher = setInterval(() => {
      void control
        .publishAsync(topics.signalPlan.of('I1'), JSON.stringify(good()), { qos: 1 })
        .catch(() => {});
    }, 1000);
    try {
      const running = await until('the new plan running', () =>
        states().find((s) => s.planId === 'adaptive-7'),
      );
      expect(running).toMatchObject({
        mode: 'adaptive',
        source: 'adaptive',
        intersectionId: 'I1',
        cycleS: 76,
      });
    } finally {
      clearInterval(refresher);
    }
    expect(sink.invalid).toEqual([]);
  });

  it('spreads the devices over shard processes that publish and hand plans back', async () => {
    const { credentials } = await provisionCity(registry, network, { dataDir: dir });
    city = startSimulatedCity({ brokerUrl, network, credentials, speed: 20, seed: 5, shards: 2 });
    await until(
      'counts from every camera',
      () => new Set(sink.of('cameraCounts').map((s) => s.id)).size === 4,
    );
    await until('signal state', () => sink.of('signalState').length > 0);
    const control = await serviceClient(['plan:publish']);
    const unsafe = plan('bad-shard-plan', Date.now(), [phase(0, 3), phase(1, 30)]);
    await control.publishAsync(topics.signalPlan.of('I1'), JSON.stringify(unsafe), { qos: 1 });
    const refused = await until('the refusal, via the shard', () =>
      sink
        .of('signalState')
        .find((s) => (s.payload as SignalState).lastRejectedPlan?.planId === 'bad-shard-plan'),
    );
    expect((refused.payload as SignalState).lastRejectedPlan?.reason).toContain('below the minimum');
    await until('fleet stats from both shards', () => city?.stats().fleet.connected === 7);
    expect(sink.invalid).toEqual([]);
  });

  it('spreads its shards over several brokers, round-robin, each device on exactly one', async () => {
    const { credentials } = await provisionCity(registry, network, { dataDir: dir });
    const otherRegistry = Registry.open(join(dir, 'registry.sqlite'));
    const otherSink = new SchemaCheckingSink();
    const other = createBroker({
      registry: otherRegistry,
      sink: otherSink,
      logger: pino({ level: 'silent' }),
      metrics: new PromRegistry(),
      revocationSweepMs: 0,
    });
    try {
      const ports = await other.listen({ tcpPort: 0, host: '127.0.0.1' });
      const brokerUrls = [brokerUrl, `mqtt://127.0.0.1:${ports.tcpPort}`];
      city = startSimulatedCity({ brokerUrl, brokerUrls, network, credentials, speed: 20, seed: 6 });
      await until('every device online', () => city?.stats().fleet.connected === 7);
      const online = (s: SchemaCheckingSink) => new Set(s.of('deviceStatus').map((x) => x.sender));
      const here = await until('status on the first broker', () => online(sink).size > 0 && online(sink));
      const there = await until(
        'status on the second',
        () => online(otherSink).size > 0 && online(otherSink),
      );
      expect([...here].filter((id) => there.has(id))).toEqual([]);
      expect(here.size + there.size).toBe(7);
      expect([...sink.invalid, ...otherSink.invalid]).toEqual([]);
      await city.stop();
      city = null;
    } finally {
      await other.close();
      otherRegistry.close();
    }
  });
});
