import mqtt, { type MqttClient } from 'mqtt';
import { topics } from '../../protocol/index.ts';
import { type BackoffOptions, reconnectDelayMs } from './backoff.ts';
import type { Rng } from './seeded-rng.ts';

export interface DeviceClientOptions {
  readonly brokerUrl: string;
  /** Device id: MQTT username AND clientId (the broker refuses a clientId that differs). */
  readonly id: string;
  readonly secret: string;
  /** Jitter source for reconnect delays. */
  readonly rng: Rng;
  /** City clock for the `ts` of status messages. */
  readonly now: () => number;
  /** Topic filters subscribed (QoS 1) on every connect. */
  readonly subscriptions?: readonly string[];
  readonly onMessage?: (topic: string, payload: Buffer) => void;
  readonly backoff?: BackoffOptions;
  /** Publishes held while offline before newer ones are dropped (a device's small buffer). */
  readonly offlineLimit?: number;
  /** Delay before the first connect, ms (a fleet spreads its start). */
  readonly startDelayMs?: number;
}

export interface DeviceClientStats {
  connects: number;
  drops: number;
  published: number;
  droppedOffline: number;
  authFailures: number;
}

export interface DeviceClient {
  readonly id: string;
  readonly stats: DeviceClientStats;
  isConnected(): boolean;
  /** Publishes a protocol payload with QoS 1; false when it had to be dropped (offline, buffer full). */
  publish(topic: string, payload: unknown): boolean;
  /** Says `offline` (retained) and disconnects cleanly. */
  stop(): Promise<void>;
}

/**
 * The thin MQTT shell of a field device. Reconnects are ours, not mqtt.js': its fixed
 * `reconnectPeriod` would make every device of a restarted broker knock again in lockstep, so
 * each waits a jittered, exponentially growing delay (see backoff.ts). The last will and the
 * retained `online` message keep `city/devices/{id}/status` true.
 */
export function startDeviceClient(opts: DeviceClientOptions): DeviceClient {
  const stats: DeviceClientStats = {
    connects: 0,
    drops: 0,
    published: 0,
    droppedOffline: 0,
    authFailures: 0,
  };
  const statusTopic = topics.deviceStatus.of(opts.id);
  const offlineLimit = opts.offlineLimit ?? 1000;
  let attempt = 0;
  let heldOffline = 0;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let client: MqttClient | null = null;

  const status = (s: 'online' | 'offline') => JSON.stringify({ status: s, ts: Math.floor(opts.now()) });

  const scheduleReconnect = () => {
    if (stopped || timer) return;
    const delay = reconnectDelayMs(attempt++, opts.rng, opts.backoff);
    timer = setTimeout(() => {
      timer = null;
      if (stopped || !client) return;
      // Keep the stores: QoS 1 messages not yet acknowledged are sent again after reconnecting.
      client.reconnect({ incomingStore: client.incomingStore, outgoingStore: client.outgoingStore });
    }, delay);
    timer.unref?.();
  };

  const connect = () => {
    timer = null;
    if (stopped) return;
    const c = mqtt.connect(opts.brokerUrl, {
      clientId: opts.id,
      username: opts.id,
      password: opts.secret,
      protocolVersion: 4,
      clean: true,
      keepalive: 60,
      reconnectPeriod: 0,
      connectTimeout: 30_000,
      will: { topic: statusTopic, payload: Buffer.from(status('offline')), qos: 1, retain: true },
    });
    client = c;
    c.on('connect', () => {
      stats.connects++;
      attempt = 0;
      heldOffline = 0;
      c.publish(statusTopic, status('online'), { qos: 1, retain: true });
      if (opts.subscriptions?.length) c.subscribe([...opts.subscriptions], { qos: 1 });
    });
    c.on('close', () => {
      if (stats.connects > 0) stats.drops++;
      scheduleReconnect();
    });
    c.on('error', (err: Error & { code?: number | string }) => {
      // CONNACK 4/5 (bad credentials, not authorised): still retried with backoff, counted.
      if (err.code === 4 || err.code === 5) stats.authFailures++;
    });
    if (opts.onMessage) {
      const handler = opts.onMessage;
      c.on('message', (t, payload) => handler(t, payload));
    }
  };

  if (opts.startDelayMs && opts.startDelayMs > 0) {
    timer = setTimeout(connect, opts.startDelayMs);
    timer.unref?.();
  } else {
    connect();
  }

  return {
    id: opts.id,
    stats,
    isConnected: () => client?.connected === true,
    publish(topic, payload) {
      if (stopped || !client) return false;
      if (!client.connected) {
        // mqtt.js queues while offline; bound it like a device's memory.
        if (heldOffline >= offlineLimit) {
          stats.droppedOffline++;
          return false;
        }
        heldOffline++;
      }
      client.publish(topic, JSON.stringify(payload), { qos: 1 });
      stats.published++;
      return true;
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      const c = client;
      if (!c) return;
      if (c.connected) {
        await new Promise<void>((resolve) => {
          c.publish(statusTopic, status('offline'), { qos: 1, retain: true }, () => resolve());
          setTimeout(resolve, 2000).unref?.();
        });
      }
      await c.endAsync(true);
    },
  };
}
