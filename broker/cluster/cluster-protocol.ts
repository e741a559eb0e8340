import type { Registry } from 'prom-client';
import type { IngestStatus } from '../../ingest/create-ingest.ts';
import type { InfluxTarget } from '../../ingest/influx-writer.ts';
import type { ListeningPorts, ListenOptions } from '../listeners.ts';

/** What a broker worker is started with (the primary parsed the configuration once). */
export interface WorkerConfig {
  /** Stable slot 0..N-1: names the worker's spool, survives restarts. */
  readonly index: number;
  readonly registryPath: string;
  readonly spoolPath: string;
  readonly influx: InfluxTarget;
  /** Concrete ports: every worker listens on the same ones (node:cluster shares them). */
  readonly listen: ListenOptions;
  readonly concurrency: number;
  readonly logLevel: string;
  readonly statusIntervalMs: number;
}

/** The environment variable the primary hands a worker its config in (JSON). */
export const WORKER_CONFIG_ENV = 'BROKER_WORKER_CONFIG';

export interface WorkerStatus {
  /** MQTT clients connected to this worker now. */
  readonly connected: number;
  readonly rssBytes: number;
  readonly ingest: IngestStatus;
  /** Messages its sink took since the worker started (stored or ignored), and refused. */
  readonly accepted: number;
  readonly rejected: number;
  /** Forward batches dropped because the primary did not keep up (live feed only: all were spooled). */
  readonly forwardDropped: number;
}

export type MetricsJson = Awaited<ReturnType<Registry['getMetricsAsJSON']>>;

/** Worker → primary. `t` tags every message: cluster's own internal messages never carry it. */
export type ToPrimary =
  | { readonly t: 'ready'; readonly ports: ListeningPorts }
  | { readonly t: 'failed'; readonly error: string }
  | { readonly t: 'status'; readonly status: WorkerStatus }
  /** Encoded batch (message-batch.ts) of messages this worker's clients published. */
  | { readonly t: 'batch'; readonly data: Uint8Array }
  | { readonly t: 'metrics'; readonly id: number; readonly metrics: MetricsJson };

/** Primary → worker. */
export type ToWorker =
  /** Encoded batch to publish on this worker's aedes (plans from the platform's services). */
  | { readonly t: 'publish'; readonly data: Uint8Array }
  | { readonly t: 'metrics'; readonly id: number }
  /** Report status now (answered with a `status` message). */
  | { readonly t: 'status' }
  | { readonly t: 'stop' };

const toPrimaryTags = new Set(['ready', 'failed', 'status', 'batch', 'metrics']);
const toWorkerTags = new Set(['publish', 'metrics', 'status', 'stop']);

export function isToPrimary(m: unknown): m is ToPrimary {
  return typeof m === 'object' && m !== null && toPrimaryTags.has((m as { t?: unknown }).t as string);
}

export function isToWorker(m: unknown): m is ToWorker {
  return typeof m === 'object' && m !== null && toWorkerTags.has((m as { t?: unknown }).t as string);
}

export function assertNever(x: never): never {
  throw new Error(`unexpected message: ${JSON.stringify(x)}`);
}
