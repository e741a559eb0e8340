import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { Registry as PromRegistry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Broker, createBroker, Registry } from '../../broker/index.ts';
import { type MessageSink, parseTopic, type SenderIdentity, type SinkOutcome } from '../../protocol/index.ts';
import { type DeviceClient, startDeviceClient } from './device-client.ts';
import { seededRng } from './seeded-rng.ts';

/** Records the status messages devices publish (the broker's own go elsewhere). */
class StatusSink implements MessageSink {
  readonly statuses: { id: string; status: string }[] = [];
  async receive(sender: SenderIdentity, topic: string, payload: Buffer): Promise<SinkOutcome> {
    const p = parseTopic(topic);
    if (p?.key === 'deviceStatus') {
      this.statuses.push({
        id: sender.id,
        status: (JSON.parse(payload.toString()) as { status: string }).status,
      });
      return 'ignored';
    }
    return 'stored';
  }
}

async function until(what: string, probe: () => boolean, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

let dir: string;
let registry: Registry;
let sink: StatusSink;
const brokers: Broker[] = [];
const devices: DeviceClient[] = [];

async function startBroker(port = 0): Promise<number> {
  const b = createBroker({
    registry,
    sink,
    logger: pino({ level: 'silent' }),
    metrics: new PromRegistry(),
    revocationSweepMs: 0,
  });
  brokers.push(b);
  return (await b.listen({ tcpPort: port, host: '127.0.0.1' })).tcpPort;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'device-client-'));
  registry = Registry.open(join(dir, 'registry.sqlite'));
  sink = new StatusSink();
});

afterEach(async () => {
  await Promise.all(devices.splice(0).map((d) => d.stop()));
  await Promise.all(brokers.splice(0).map((b) => b.close()));
  registry.close();
  rmSync(dir, { recursive: true, force: true });
});

const backoff = { minMs: 50, baseMs: 400, maxMs: 2000 };

describe('device MQTT client', () => {
  it('comes back by itself after a broker restart, and says online again', async () => {
    const creds = await registry.addDevices(
      Array.from({ length: 25 }, (_, i) => ({ id: `gw-${i}`, type: 'gateway' as const })),
    );
    const port = await startBroker();
    for (const [i, c] of creds.entries()) {
      devices.push(
        startDeviceClient({
          brokerUrl: `mqtt://127.0.0.1:${port}`,
          ...c,
          rng: seededRng(i),
          now: Date.now,
          backoff,
        }),
      );
    }
    await until('all connected', () => devices.every((d) => d.isConnected()));
    await brokers.shift()?.close();
    await until('all dropped', () => devices.every((d) => !d.isConnected()));
    await startBroker(port);
    await until('all reconnected', () => devices.every((d) => d.isConnected()));
    for (const d of devices) expect(d.stats).toMatchObject({ connects: 2, drops: 1, authFailures: 0 });
    await until('online twice each', () => sink.statuses.filter((s) => s.status === 'online').length === 50);
  });

  it('keeps retrying with backoff when its secret is refused, and never connects', async () => {
    await registry.addDevice({ id: 'gw-x', type: 'gateway' });
    const port = await startBroker();
    const d = startDeviceClient({
      brokerUrl: `mqtt://127.0.0.1:${port}`,
      id: 'gw-x',
      secret: 'wrong',
      rng: seededRng(1),
      now: Date.now,
      backoff,
    });
    devices.push(d);
    await until('three refusals', () => d.stats.authFailures >= 3);
    expect(d.isConnected()).toBe(false);
    expect(d.stats.connects).toBe(0);
    expect(d.publish('city/devices/gw-x/status', { status: 'online' })).toBe(true); // held while offline
  });

  it('holds only a bounded number of messages while offline', async () => {
    const d = startDeviceClient({
      brokerUrl: 'mqtt://127.0.0.1:1',
      id: 'gw-y',
      secret: 's',
      rng: seededRng(2),
      now: Date.now,
      backoff,
      offlineLimit: 3,
    });
    devices.push(d);
    const sent = Array.from({ length: 5 }, () => d.publish('city/utility/gateways/gw-y/readings', []));
    expect(sent).toEqual([true, true, true, false, false]);
    expect(d.stats.droppedOffline).toBe(2);
  });

  it('says offline (retained) when stopped', async () => {
    const [c] = await registry.addDevices([{ id: 'gw-z', type: 'gateway' }]);
    const port = await startBroker();
    const d = startDeviceClient({
      brokerUrl: `mqtt://127.0.0.1:${port}`,
      id: 'gw-z',
      secret: c?.secret ?? '',
      rng: seededRng(3),
      now: Date.now,
      backoff,
    });
    await until('connected', () => d.isConnected());
    await d.stop();
    await until('offline', () => sink.statuses.some((s) => s.id === 'gw-z' && s.status === 'offline'));
  });
});
