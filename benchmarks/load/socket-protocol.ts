import type { SocketChildStats } from './socket-stats.ts';
import type { ClientView } from './socket-viewports.ts';

/** IPC between the socket fleet parent (`socket-fleet.ts`) and its children (`socket-worker.ts`). */

export interface SocketWorkerPlan {
  readonly childIndex: number;
  /** The dashboard's origin, e.g. http://127.0.0.1:8080 */
  readonly url: string;
  /** `sid=…` session cookies, dealt round-robin to this child's clients. */
  readonly cookies: readonly string[];
  readonly views: readonly ClientView[];
  /** This child's share of the connection ramp. */
  readonly rampPerSec: number;
  /** Every n-th client decodes with socket.io-client and times latency; the rest frame only (1: all decode). */
  readonly decodeEvery?: number;
}

export type ToSocketWorker =
  | { readonly cmd: 'start'; readonly plan: SocketWorkerPlan }
  | { readonly cmd: 'reset-latency' }
  | { readonly cmd: 'report' }
  | { readonly cmd: 'exit' };

export type FromSocketWorker =
  | { readonly type: 'progress'; readonly stats: SocketChildStats }
  | { readonly type: 'report'; readonly stats: SocketChildStats };
