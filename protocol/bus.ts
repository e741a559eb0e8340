/**
 * How a platform service (the control loop, the dashboard's live feed) talks to the broker. Two
 * implementations exist: an MQTT connection with a service account (a service in its own process)
 * and an in-process connection on the broker itself (the platform in one process, where a loopback
 * MQTT client would cost the broker a socket write and the service a parse per message). Both pass
 * the same ACL and, for publishes, the same sink as a device's message.
 */
export interface BusConnection {
  /** Subscribes to the filters; `onMessage` gets every matching message from then on. Resolves
   * once subscribed. An MQTT connection renews the subscription after each reconnect. */
  subscribe(filters: readonly string[], onMessage: (topic: string, payload: Buffer) => void): Promise<void>;
  /** Publishes; resolves once the broker accepted it (QoS 1: stored by ingest, then PUBACKed). */
  publish(
    topic: string,
    payload: string,
    opts: { readonly qos: 0 | 1; readonly retain?: boolean },
  ): Promise<void>;
  readonly connected: boolean;
  /** Called with every change of `connected`. */
  onConnectedChange(listener: (connected: boolean) => void): void;
  close(): Promise<void>;
}
