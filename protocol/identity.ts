import type { Approach, DeviceType, MeterKind } from './ids.ts';

/** What a service account may do beyond a device's own topics. */
export type ServiceRight =
  /** publish timing plans to any signal (control loop, dashboard overrides) */
  | 'plan:publish'
  /** subscribe to all city telemetry (`city/#`) */
  | 'telemetry:subscribe';

/**
 * Who sent a message, as the broker authenticated it. Built once per connection from the
 * registry, so the per-message path never touches the database.
 */
export interface SenderIdentity {
  readonly id: string;
  readonly role: 'device' | 'service';
  /** Set for devices. */
  readonly deviceType: DeviceType | null;
  /** Camera: the intersection and approach it watches. Signal: its intersection. */
  readonly intersectionId: string | null;
  readonly approach: Approach | null;
  /** Meter: its registered kind, when known. */
  readonly meterKind: MeterKind | null;
  /** Gateway: the meters registered behind it, with their kind (null kind: not recorded). */
  readonly gatewayMeters: ReadonlyMap<string, MeterKind | null> | null;
  /** Service accounts only. */
  readonly rights: readonly ServiceRight[];
}

/** Outcome of handing one published message to ingest. */
export type SinkOutcome = 'stored' | 'rejected' | 'ignored';

/**
 * Where the broker hands every authorised publish BEFORE it acknowledges it (aedes runs
 * `authorizePublish` before the QoS 1 PUBACK). The returned promise resolves only once the
 * message is durable (stored) or its rejection is recorded; the broker then PUBACKs.
 * `rejected` messages are acknowledged (MQTT 3.1.1 has no negative PUBACK) but not forwarded
 * to subscribers. A sink never throws for bad device data.
 */
export interface MessageSink {
  receive(sender: SenderIdentity, topic: string, payload: Buffer): Promise<SinkOutcome>;
}
