import mqtt, { type MqttClient } from 'mqtt';
import type { BusConnection } from '../protocol/bus.ts';
import { topicMatcher } from './topic-matcher.ts';

export interface MqttConnectionOptions {
  /** e.g. mqtt://127.0.0.1:1883 */
  readonly url: string;
  /** A service account; the broker requires clientId = username. */
  readonly id: string;
  readonly secret: string;
  readonly reconnectPeriodMs?: number;
  /** Connection and subscription errors (the client reconnects on its own). */
  readonly onError?: (err: Error) => void;
}

/**
 * A service's connection to the broker over MQTT, for a service running in its own process. Its
 * subscriptions are renewed after every reconnect (clean session: the broker forgot them).
 */
export function connectMqtt(o: MqttConnectionOptions): BusConnection {
  const client: MqttClient = mqtt.connect(o.url, {
    clientId: o.id,
    username: o.id,
    password: o.secret,
    protocolVersion: 4,
    clean: true,
    reconnectPeriod: o.reconnectPeriodMs ?? 2000,
    connectTimeout: 10_000,
    resubscribe: false,
  });
  type OnMessage = (topic: string, payload: Buffer) => void;
  const subscriptions: { filters: readonly string[]; onMessage: OnMessage }[] = [];
  // One connection may carry several subscriptions; each message goes to those whose filters match.
  const matcher = topicMatcher<OnMessage>();
  const changeListeners: ((connected: boolean) => void)[] = [];
  const onError = o.onError ?? (() => {});

  function subscribeAll(filters: readonly string[]): Promise<void> {
    return new Promise((resolve, reject) => {
      client.subscribe([...filters], { qos: 1 }, (err, granted) => {
        if (err) return reject(err);
        const refused = (granted ?? []).filter((g) => g.qos === 128).map((g) => g.topic);
        if (refused.length > 0) return reject(new Error(`subscription refused: ${refused.join(', ')}`));
        resolve();
      });
    });
  }

  client.on('connect', () => {
    for (const l of changeListeners) l(true);
    for (const s of subscriptions) subscribeAll(s.filters).catch(onError);
  });
  client.on('close', () => {
    for (const l of changeListeners) l(false);
  });
  client.on('error', onError);
  client.on('message', (topic, payload) => {
    const handlers = new Set(matcher.match(topic));
    for (const h of handlers) h(topic, payload);
  });

  return {
    get connected() {
      return client.connected;
    },
    onConnectedChange(listener) {
      changeListeners.push(listener);
    },
    async subscribe(filters, onMessage) {
      subscriptions.push({ filters, onMessage });
      for (const f of filters) matcher.add(f, onMessage);
      if (!client.connected) await new Promise<void>((resolve) => client.once('connect', () => resolve()));
      // The 'connect' handler above may already have sent it; a second SUBSCRIBE of the same
      // filters is harmless (the broker replaces the subscription) and tells us the outcome.
      await subscribeAll(filters);
    },
    async publish(topic, payload, opts) {
      if (!client.connected) throw new Error('not connected to the broker');
      await client.publishAsync(topic, payload, { qos: opts.qos, retain: opts.retain ?? false });
    },
    async close() {
      await client.endAsync();
    },
  };
}
