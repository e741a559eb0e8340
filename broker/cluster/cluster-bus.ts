import type { BusConnection } from '../../protocol/bus.ts';
import type { MessageSink, SenderIdentity, SinkOutcome } from '../../protocol/identity.ts';
import { acceptServicePublish, checkServiceSubscribe } from '../service-publish.ts';
import type { HubHandler, LocalHub } from './local-hub.ts';
import type { BatchedMessage } from './message-batch.ts';

export interface ClusterBusDeps {
  /** The service account this connection acts as: its rights bound what it may do. */
  readonly identity: SenderIdentity;
  /** Where its publishes are made durable once, before any worker sees them. */
  readonly sink: MessageSink;
  /** The primary's subscriptions, fed with what the workers forward. */
  readonly hub: LocalHub;
  /** Sends messages to every broker worker (start-broker-cluster.ts `publish`). */
  readonly broadcast: (messages: readonly BatchedMessage[]) => Promise<void>;
  /** Broker workers serving now; the connection counts as connected while there is one. */
  readonly upCount: () => number;
  readonly onUpChange: (listener: (up: number) => void) => void;
  readonly onOutcome?: (outcome: SinkOutcome) => void;
}

/**
 * A platform service's connection to a scaled-out broker, in the primary process. Subscriptions
 * are matched here against every worker's forwarded messages; a publish takes the single-process
 * path's steps — ACL, the sink (durable before it resolves), local subscribers — and is then sent
 * to every worker, whose aedes delivers it to the client subscribed there (the signal).
 */
export function connectCluster(deps: ClusterBusDeps): BusConnection {
  const { identity, sink, hub } = deps;
  const subscriptions: { filter: string; handler: HubHandler }[] = [];
  const changeListeners: ((connected: boolean) => void)[] = [];
  let open = true;
  let connected = deps.upCount() > 0;
  deps.onUpChange((up) => {
    const now = open && up > 0;
    if (now === connected) return;
    connected = now;
    for (const l of changeListeners) l(now);
  });

  return {
    get connected() {
      return connected;
    },
    onConnectedChange(listener) {
      changeListeners.push(listener);
    },
    async subscribe(filters, onMessage) {
      if (!open) throw new Error('cluster connection is closed');
      checkServiceSubscribe(identity, filters);
      for (const filter of filters) {
        const handler: HubHandler = (topic, payload) => onMessage(topic, payload);
        subscriptions.push({ filter, handler });
        hub.add(filter, handler);
      }
    },
    async publish(topic, payload, opts) {
      if (!open) throw new Error('cluster connection is closed');
      const retain = opts.retain ?? false;
      const body = await acceptServicePublish(identity, sink, topic, payload, retain, deps.onOutcome ?? noop);
      // Workers do not send back what the primary gave them: local subscribers get it here.
      hub.deliver(topic, body);
      await deps.broadcast([{ topic, payload: body, qos: opts.qos, retain }]);
    },
    async close() {
      if (!open) return;
      open = false;
      for (const { filter, handler } of subscriptions.splice(0)) hub.remove(filter, handler);
      if (connected) {
        connected = false;
        for (const l of changeListeners) l(false);
      }
    },
  };
}

function noop(): void {}
