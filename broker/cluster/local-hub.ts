import { topicMatcher } from '../topic-matcher.ts';

export type HubHandler = (topic: string, payload: Buffer) => void;

/**
 * The subscriptions of the platform's own services (control loop, dashboard feed) in the primary
 * process, matched with MQTT wildcard rules (qlobber, as aedes' emitter does). Each filter is its
 * own entry, as each `aedes.subscribe` listener is: a message matching two filters of one service
 * reaches it twice, exactly as on the single-process broker.
 */
export class LocalHub {
  readonly #matcher = topicMatcher<HubHandler>();

  add(filter: string, handler: HubHandler): void {
    this.#matcher.add(filter, handler);
  }

  remove(filter: string, handler: HubHandler): void {
    this.#matcher.remove(filter, handler);
  }

  deliver(topic: string, payload: Buffer): void {
    // `$` topics never match wildcard filters [MQTT-4.7.2-1]; none is forwarded, but a filter
    // like `#` must not see one if it ever were.
    if (topic.charCodeAt(0) === 36) return;
    for (const handler of this.#matcher.match(topic)) {
      try {
        handler(topic, payload);
      } catch {
        // A subscriber's failure is its own; delivery to the others goes on.
      }
    }
  }
}
