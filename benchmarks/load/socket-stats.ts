import { type HistogramData, LatencyHistogram } from '../lib/percentiles.ts';
import { type ViewClass, viewClasses } from './socket-viewports.ts';

/**
 * Counters of dashboard socket clients, per view class, as children report them over IPC, and
 * the maths that turns two reports into per-client rates. Pure.
 */

export interface SocketCounters {
  readonly clients: number;
  /** Clients that decode every event with socket.io-client (and time latency). */
  readonly decoding: number;
  /** Clients that received their first snapshot. */
  readonly ready: number;
  readonly connectErrors: number;
  readonly disconnects: number;
  readonly snapshots: number;
  /** Snapshots after a client's first one: the server found it behind and resynchronised it. */
  readonly resyncs: number;
  readonly deltas: number;
  /** Bytes of `snapshot` and `delta` packets as they arrived (engine.io message payloads). */
  readonly bytes: number;
  /** Intersection updates that carried a new signal state (each one a latency sample). */
  readonly signalChanges: number;
}

export const zeroCounters: SocketCounters = {
  clients: 0,
  decoding: 0,
  ready: 0,
  connectErrors: 0,
  disconnects: 0,
  snapshots: 0,
  resyncs: 0,
  deltas: 0,
  bytes: 0,
  signalChanges: 0,
};

export interface SocketChildStats {
  readonly childIndex: number;
  readonly byClass: Readonly<Record<ViewClass, SocketCounters>>;
  /** Publish → arrival of new signal states, since the last latency reset. */
  readonly latency: HistogramData;
  readonly firstError?: string;
}

export interface SocketTotals {
  readonly byClass: Readonly<Record<ViewClass, SocketCounters>>;
  readonly all: SocketCounters;
  readonly latency: HistogramData;
  readonly firstError?: string;
}

export function addCounters(a: SocketCounters, b: SocketCounters): SocketCounters {
  const out: Record<string, number> = {};
  for (const k of Object.keys(zeroCounters) as (keyof SocketCounters)[]) out[k] = a[k] + b[k];
  return out as unknown as SocketCounters;
}

export function emptyByClass(): Record<ViewClass, SocketCounters> {
  return { city: zeroCounters, district: zeroCounters, street: zeroCounters };
}

/** Fleet-wide totals from the latest report of every child. */
export function mergeSocketStats(all: readonly SocketChildStats[]): SocketTotals {
  const byClass = emptyByClass();
  const h = new LatencyHistogram();
  let firstError: string | undefined;
  for (const s of all) {
    for (const c of viewClasses) byClass[c] = addCounters(byClass[c], s.byClass[c]);
    h.merge(s.latency);
    firstError ??= s.firstError;
  }
  const allCounters = viewClasses.reduce((acc, c) => addCounters(acc, byClass[c]), zeroCounters);
  return { byClass, all: allCounters, latency: h.toJSON(), ...(firstError ? { firstError } : {}) };
}

export interface ClientRates {
  readonly clients: number;
  readonly deltasPerSecPerClient: number;
  readonly bytesPerSecPerClient: number;
  /** Resynchronising snapshots during the window (all clients of the class). */
  readonly resyncs: number;
}

/**
 * Per-client rates of one class (or all) between two reports `elapsedMs` apart, over the clients
 * that are in (had their first snapshot): one that never got in receives nothing and is not a client.
 */
export function clientRates(before: SocketCounters, after: SocketCounters, elapsedMs: number): ClientRates {
  const per = (d: number) =>
    after.ready > 0 && elapsedMs > 0 ? (d * 1000) / elapsedMs / after.ready : Number.NaN;
  return {
    clients: after.ready,
    deltasPerSecPerClient: per(after.deltas - before.deltas),
    bytesPerSecPerClient: per(after.bytes - before.bytes),
    resyncs: after.resyncs - before.resyncs,
  };
}

/** The intersection fields a latency sample needs (LiveIntersection carries more). */
export interface SignalStamp {
  readonly id: string;
  /** The signal state's own timestamp: the probe wrote its publish time there. */
  readonly ts: number;
}

/**
 * Publish → arrival latencies of the intersections in one delta. An intersection also changes
 * when a camera count moves its queue (carrying the older signal timestamp), so only items whose
 * signal timestamp is new to this client are samples; `lastTs` is the client's memory of them.
 */
export function newSignalLatencies(
  lastTs: Map<string, number>,
  items: readonly SignalStamp[],
  arrivedMs: number,
): number[] {
  const out: number[] = [];
  for (const it of items) {
    if (it.ts <= 0 || lastTs.get(it.id) === it.ts) continue;
    lastTs.set(it.id, it.ts);
    out.push(Math.max(0, arrivedMs - it.ts));
  }
  return out;
}

/** Remembers the signal timestamps of a snapshot (a resync is not a latency sample). */
export function rememberSignals(lastTs: Map<string, number>, items: readonly SignalStamp[]): void {
  for (const it of items) lastTs.set(it.id, it.ts);
}
