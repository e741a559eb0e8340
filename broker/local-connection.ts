import type { Aedes, PublishPacket } from 'aedes';
import type { BusConnection } from '../protocol/bus.ts';
import type { MessageSink, SenderIdentity, SinkOutcome } from '../protocol/identity.ts';
import { acceptServicePublish, checkServiceSubscribe } from './service-publish.ts';

export interface LocalConnectionDeps {
  readonly aedes: Aedes;
  readonly sink: MessageSink;
  /** The service account this connection acts as: its rights bound what it may do. */
  readonly identity: SenderIdentity;
  /** Counted like a remote client's message. */
  readonly onOutcome: (outcome: SinkOutcome) => void;
}

type Deliver = (packet: PublishPacket, done: () => void) => void;

/**
 * A service's connection to the broker inside the broker's own process: subscriptions are aedes
 * emitter listeners called with each message as it is published, and publishes take the remote
 * path's steps — ACL, then the sink (durable before it resolves), then aedes — without a socket.
 * A remote subscriber costs the broker a packet write and the service a parse per message; in one
 * process that was half the platform's CPU under load (benchmarks/README.md).
 */
export function connectLocal(deps: LocalConnectionDeps): BusConnection {
  const { aedes, sink, identity } = deps;
  const listeners: { filter: string; deliver: Deliver }[] = [];
  const changeListeners: ((connected: boolean) => void)[] = [];
  let open = true;

  return {
    get connected() {
      return open;
    },
    onConnectedChange(listener) {
      changeListeners.push(listener);
    },
    async subscribe(filters, onMessage) {
      if (!open) throw new Error('local connection is closed');
      checkServiceSubscribe(identity, filters);
      for (const filter of filters) {
        const deliver: Deliver = (packet, done) => {
          // `$` topics never match wildcard filters [MQTT-4.7.2-1]; aedes applies this rule to
          // its clients' subscriptions, not to emitter listeners, so it is applied here.
          if (packet.topic.charCodeAt(0) !== 36) {
            const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
            try {
              onMessage(packet.topic, payload);
            } catch {
              // A subscriber's failure is its own; the broker's delivery to others goes on.
            }
          }
          done();
        };
        listeners.push({ filter, deliver });
        await new Promise<void>((resolve) => aedes.subscribe(filter, deliver, resolve));
      }
    },
    async publish(topic, payload, opts) {
      if (!open) throw new Error('local connection is closed');
      const retain = opts.retain ?? false;
      const body = await acceptServicePublish(identity, sink, topic, payload, retain, deps.onOutcome);
      await new Promise<void>((resolve, reject) =>
        aedes.publish({ cmd: 'publish', topic, payload: body, qos: opts.qos, retain, dup: false }, (err) =>
          err ? reject(err) : resolve(),
        ),
      );
    },
    async close() {
      if (!open) return;
      open = false;
      await Promise.all(
        listeners
          .splice(0)
          .map(
            ({ filter, deliver }) =>
              new Promise<void>((resolve) => aedes.unsubscribe(filter, deliver, () => resolve())),
          ),
      );
      for (const l of changeListeners) l(false);
    },
  };
}
