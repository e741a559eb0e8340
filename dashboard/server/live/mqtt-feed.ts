import type { FastifyBaseLogger } from 'fastify';
import mqtt, { type MqttClient } from 'mqtt';
import type { SignalPlan } from '../../../protocol/signal-plan.ts';
import { topicKeys, topics } from '../../../protocol/topics.ts';
import type { Clock } from '../clock.ts';
import { applyMessage, type FeedSkip } from './apply-message.ts';
import type { LiveState } from './live-state.ts';

export interface DashboardMqttOptions {
  /** e.g. mqtt://127.0.0.1:1883 */
  readonly url: string;
  /** The dashboard's service account (rights `telemetry:subscribe` and `plan:publish`). */
  readonly id: string;
  readonly secret: string;
  readonly live: LiveState;
  readonly clock: Clock;
  readonly logger: FastifyBaseLogger;
}

export interface DashboardMqtt {
  /** Publishes a plan on the intersection's plan topic (QoS 1); resolves on the broker's PUBACK. */
  publishPlan(intersectionId: string, plan: SignalPlan): Promise<void>;
  /** Messages the feed could not apply, by reason (a bug elsewhere, never a crash here). */
  readonly skipped: Readonly<Record<FeedSkip, number>>;
  close(): Promise<void>;
}

/**
 * The thin MQTT shell of the live state: one connection with the dashboard's service account
 * (clientId = username, as the broker requires), subscribed to every protocol topic, handing each
 * message to the pure `applyMessage`; and the publisher of operator plans.
 */
export function connectDashboardMqtt(o: DashboardMqttOptions): DashboardMqtt {
  const skipped: Record<FeedSkip, number> = {
    topic_unknown: 0,
    payload_too_large: 0,
    payload_invalid_json: 0,
    schema_violation: 0,
  };
  const client: MqttClient = mqtt.connect(o.url, {
    clientId: o.id,
    username: o.id,
    password: o.secret,
    protocolVersion: 4,
    clean: true,
    reconnectPeriod: 2000,
    connectTimeout: 10_000,
  });
  const filters = Object.fromEntries(topicKeys.map((k) => [topics[k].filter, { qos: topics[k].qos }]));
  client.on('connect', () => {
    client.subscribe(filters, (err) => {
      if (err) o.logger.error({ err }, 'dashboard feed: subscribe failed');
      else o.live.setFeedConnected(true);
    });
  });
  client.on('close', () => o.live.setFeedConnected(false));
  client.on('error', (err) => o.logger.warn({ err: err.message }, 'dashboard feed: mqtt error'));
  client.on('message', (topic, payload) => {
    const skip = applyMessage(o.live, topic, payload, o.clock.now());
    if (skip !== null) skipped[skip] += 1;
  });
  return {
    skipped,
    async publishPlan(intersectionId, plan) {
      if (!client.connected) throw new Error('not connected to the broker');
      await client.publishAsync(topics.signalPlan.of(intersectionId), JSON.stringify(plan), {
        qos: topics.signalPlan.qos,
        retain: topics.signalPlan.retain,
      });
    },
    async close() {
      await client.endAsync();
      o.live.setFeedConnected(false);
    },
  };
}
