import { topics } from '../../protocol/index.ts';
import { type DeviceClient, startDeviceClient } from '../devices/device-client.ts';
import { deviceSeed, seededRng } from '../devices/seeded-rng.ts';
import type { Outgoing } from './city-core.ts';
import type { CityDevice } from './city-devices.ts';

export interface FleetStats {
  devices: number;
  connected: number;
  published: number;
  droppedOffline: number;
  drops: number;
  authFailures: number;
  plansReceived: number;
}

/** The MQTT side of the city: delivers device messages, hands received plans back. */
export interface Fleet {
  deliver(messages: readonly Outgoing[]): void;
  stats(): FleetStats;
  stop(): Promise<void>;
}

export interface FleetOptions {
  readonly brokerUrl: string;
  /** Devices that hold their own connection (see connectingDevices). */
  readonly devices: readonly CityDevice[];
  readonly credentials: ReadonlyMap<string, string>;
  readonly seed: number;
  /** City clock (status timestamps). */
  readonly now: () => number;
  /** A plan arrived for a signal controller of this fleet. */
  readonly onPlan: (intersectionId: string, payload: Buffer) => void;
  /** Connections opened per second at start (a city does not power up in one millisecond). */
  readonly connectPerS?: number;
}

/** Every device an MQTT client in this process. */
export function createLocalFleet(opts: FleetOptions): Fleet {
  const clients = new Map<string, DeviceClient>();
  const rate = opts.connectPerS ?? 400;
  let plansReceived = 0;
  opts.devices.forEach((d, i) => {
    const secret = opts.credentials.get(d.id);
    if (secret === undefined) throw new Error(`no credentials for device ${d.id}`);
    const signalOf = d.type === 'signal' ? d.intersectionId : null;
    clients.set(
      d.id,
      startDeviceClient({
        brokerUrl: opts.brokerUrl,
        id: d.id,
        secret,
        rng: seededRng(deviceSeed(opts.seed ^ 0x5bd1e995, d.id)),
        now: opts.now,
        startDelayMs: Math.floor((i / rate) * 1000),
        ...(signalOf === null
          ? {}
          : {
              subscriptions: [topics.signalPlan.of(signalOf)],
              onMessage: (_topic: string, payload: Buffer) => {
                plansReceived++;
                opts.onPlan(signalOf, payload);
              },
            }),
      }),
    );
  });
  return {
    deliver(messages) {
      for (const m of messages) clients.get(m.deviceId)?.publish(m.topic, m.payload);
    },
    stats() {
      const s: FleetStats = {
        devices: clients.size,
        connected: 0,
        published: 0,
        droppedOffline: 0,
        drops: 0,
        authFailures: 0,
        plansReceived,
      };
      for (const c of clients.values()) {
        if (c.isConnected()) s.connected++;
        s.published += c.stats.published;
        s.droppedOffline += c.stats.droppedOffline;
        s.drops += c.stats.drops;
        s.authFailures += c.stats.authFailures;
      }
      return s;
    },
    async stop() {
      await Promise.all([...clients.values()].map((c) => c.stop()));
    },
  };
}
