import type { HistogramData } from '../lib/percentiles.ts';
import type { QoS } from './profiles.ts';

/** IPC messages between the load parent (`run-fleet.ts`) and its children (`load-worker.ts`). */

export type DeviceKind = 'signal' | 'camera' | 'gateway';

export interface WorkerDevice {
  readonly id: string;
  readonly secret: string;
  readonly kind: DeviceKind;
  /** Gateways: index used to derive their meter ids (`fleetIds.meter`). */
  readonly gatewayIndex?: number;
}

/** One group of this child's devices, sharing a schedule. */
export interface WorkerGroup {
  readonly kind: DeviceKind;
  readonly qos: QoS;
  readonly devices: readonly WorkerDevice[];
  /** Each device publishes every `periodMs` (schedule mode). */
  readonly periodMs: number;
  /** Gateways: meters behind each and readings per batch. */
  readonly metersPerGateway?: number;
  readonly readingsPerBatch?: number;
  /** Camera counting interval written into the payload, s. */
  readonly intervalS?: number;
}

export interface WorkerPlan {
  readonly childIndex: number;
  readonly url: string;
  /**
   * `schedule`: open loop, devices publish on their periods (offered load is fixed);
   * `closed`: every connection keeps `window` messages in flight (finds the maximum);
   * `idle`: connect and stay silent (memory per connection).
   */
  readonly mode: 'schedule' | 'closed' | 'idle';
  readonly groups: readonly WorkerGroup[];
  /** This child's share of the fleet's connection ramp. */
  readonly rampPerSec: number;
  /** Closed mode: messages in flight per connection. */
  readonly window?: number;
  /** Schedule mode: a device with this many unacknowledged messages skips its slot (counted). */
  readonly maxInflight?: number;
  /** Keepalive for the connections, s. */
  readonly keepaliveS?: number;
}

export interface WorkerStats {
  readonly childIndex: number;
  readonly connected: number;
  readonly connectFailed: number;
  readonly closedUnexpectedly: number;
  readonly sent: number;
  readonly acked: number;
  readonly readingsAcked: number;
  readonly errors: number;
  readonly skipped: number;
  readonly inflight: number;
  readonly ackedByKind: Readonly<Record<DeviceKind, number>>;
  readonly latency: HistogramData;
  readonly firstError?: string;
}

export type ToWorker =
  | { readonly cmd: 'connect'; readonly plan: WorkerPlan }
  | { readonly cmd: 'go' }
  | { readonly cmd: 'stop'; readonly drainMs: number }
  | { readonly cmd: 'reset-latency' }
  | { readonly cmd: 'report' }
  | { readonly cmd: 'exit' };

export type FromWorker =
  | { readonly type: 'connected'; readonly stats: WorkerStats }
  | { readonly type: 'progress'; readonly stats: WorkerStats }
  | { readonly type: 'report'; readonly stats: WorkerStats }
  | { readonly type: 'stopped'; readonly stats: WorkerStats };
