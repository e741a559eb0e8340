import type { FastifyBaseLogger } from 'fastify';
import { connectMqtt } from '../../../broker/mqtt-connection.ts';
import type { BusConnection } from '../../../protocol/bus.ts';
import type { SignalPlan } from '../../../protocol/signal-plan.ts';
import { topicKeys, topics } from '../../../protocol/topics.ts';
import type { Clock } from '../clock.ts';
import { applyMessage, type FeedSkip } from './apply-message.ts';
import type { LiveState } from './live-state.ts';

export interface DashboardFeedOptions {
  /** The dashboard's broker connection (service account rights `telemetry:subscribe` and
   * `plan:publish`); the feed takes ownership and closes it. */
  readonly bus: BusConnection;
  readonly live: LiveState;
  readonly clock: Clock;
  readonly logger: FastifyBaseLogger;
}

export interface DashboardMqttOptions extends Omit<DashboardFeedOptions, 'bus'> {
  /** e.g. mqtt://127.0.0.1:1883 */
  readonly url: string;
  /** The dashboard's service account (clientId = username, as the broker requires). */
  readonly id: string;
  readonly secret: string;
}

export interface DashboardMqtt {
  /** Publishes a plan on the intersection's plan topic (QoS 1); resolves once the broker took it. */
  publishPlan(intersectionId: string, plan: SignalPlan): Promise<void>;
  /** Messages the feed could not apply, by reason (a bug elsewhere, never a crash here). */
  readonly skipped: Readonly<Record<FeedSkip, number>>;
  close(): Promise<void>;
}

/**
 * The thin shell of the live state around a broker connection: subscribed to every protocol topic,
 * handing each message to the pure `applyMessage`; and the publisher of operator plans.
 */
export function connectDashboardFeed(o: DashboardFeedOptions): DashboardMqtt {
  const skipped: Record<FeedSkip, number> = {
    topic_unknown: 0,
    payload_too_large: 0,
    payload_invalid_json: 0,
    schema_violation: 0,
  };
  const { bus } = o;
  // `connected` means subscribed: a live map without its subscription would show stale data.
  let subscribed = false;
  bus.onConnectedChange((up) => {
    if (!up) o.live.setFeedConnected(false);
    else if (subscribed) o.live.setFeedConnected(true);
  });
  bus
    .subscribe(
      topicKeys.map((k) => topics[k].filter),
      (topic, payload) => {
        const skip = applyMessage(o.live, topic, payload, o.clock.now());
        if (skip !== null) skipped[skip] += 1;
      },
    )
    .then(
      () => {
        subscribed = true;
        o.live.setFeedConnected(bus.connected);
      },
      (err: unknown) => o.logger.error({ err }, 'dashboard feed: subscribe failed'),
    );
  return {
    skipped,
    async publishPlan(intersectionId, plan) {
      await bus.publish(topics.signalPlan.of(intersectionId), JSON.stringify(plan), {
        qos: topics.signalPlan.qos,
        retain: topics.signalPlan.retain,
      });
    },
    async close() {
      await bus.close();
      o.live.setFeedConnected(false);
    },
  };
}

/** The feed over MQTT, for a dashboard in its own process (dashboard/main.ts). */
export function connectDashboardMqtt(o: DashboardMqttOptions): DashboardMqtt {
  const bus = connectMqtt({
    url: o.url,
    id: o.id,
    secret: o.secret,
    onError: (err) => o.logger.warn({ err: err.message }, 'dashboard feed: mqtt error'),
  });
  return connectDashboardFeed({ bus, live: o.live, clock: o.clock, logger: o.logger });
}
