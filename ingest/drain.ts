import { setTimeout as sleep } from 'node:timers/promises';
import retry from 'retry';
import { type InfluxWriter, RetryableWriteError, type WriteResult } from './influx-writer.ts';
import type { DeadLetter, SpooledLine } from './journal.ts';

/** What the drain needs of the spool: `Journal` (same thread) or `ThreadedJournal` (writer thread). */
export interface Spool {
  peek(limit: number): SpooledLine[];
  ack(uptoId: number, dead: readonly DeadLetter[], atMs: number): number | Promise<number>;
  onAppend(listener: () => void): () => void;
}

export interface DrainOptions {
  readonly journal: Spool;
  readonly writer: InfluxWriter;
  /** Lines per write request (InfluxDB's sweet spot is 5,000-10,000). */
  readonly batchSize?: number;
  /** Backoff between failed writes: exponential from `minRetryMs` to `maxRetryMs`, randomised. */
  readonly minRetryMs?: number;
  readonly maxRetryMs?: number;
  /** Waits when the spool is empty and nothing was appended (a safety net; appends wake the drain). */
  readonly idleMs?: number;
  readonly now?: () => number;
  readonly onWrite?: (event: WriteEvent) => void;
  readonly onError?: (err: RetryableWriteError, attempt: number, delayMs: number) => void;
  /** The spool itself failed (disk, database closed under the loop): the drain has stopped. */
  readonly onFatal?: (err: unknown) => void;
}

export interface WriteEvent {
  readonly result: WriteResult;
  readonly lines: number;
  readonly durationMs: number;
}

export interface DrainStatus {
  readonly influxReachable: boolean;
  readonly lastError: string | null;
  readonly lastWriteAtMs: number | null;
  readonly failedAttempts: number;
}

export interface Drain {
  start(): void;
  /**
   * Stops the loop: keeps writing while InfluxDB answers and lines remain, for at most
   * `flushTimeoutMs`; what is left stays in the spool for the next start.
   */
  stop(flushTimeoutMs?: number): Promise<void>;
  status(): DrainStatus;
}

/**
 * The only way lines reach InfluxDB: peek the oldest batch, write it, ack it; on an outage back
 * off and retry the same batch forever, so lines land in spool order and none is skipped.
 * Runs on the main thread: the loop spends its time awaiting HTTP, and its synchronous part
 * (one SQLite read and one delete per 5,000 lines) is small (docs/ingest.md).
 */
export function createDrain(opts: DrainOptions): Drain {
  const { journal, writer } = opts;
  const batchSize = opts.batchSize ?? 5000;
  const now = opts.now ?? Date.now;
  const backoff = {
    minTimeout: opts.minRetryMs ?? 100,
    maxTimeout: opts.maxRetryMs ?? 30_000,
    factor: 2,
    randomize: true,
  };
  let running = false;
  let loop: Promise<void> | null = null;
  let wake: AbortController = new AbortController();
  let stopDeadline = Number.POSITIVE_INFINITY;
  let status: DrainStatus = {
    influxReachable: false,
    lastError: null,
    lastWriteAtMs: null,
    failedAttempts: 0,
  };
  const unsubscribe = { off: (): void => {} };

  // Interrupted early by an append or by stop(); never throws.
  async function pause(ms: number): Promise<void> {
    try {
      await sleep(ms, undefined, { signal: wake.signal });
    } catch {
      // woken
    }
    if (wake.signal.aborted) wake = new AbortController();
  }

  // With nothing to write, /ping keeps `influxReachable` true to life (readiness, the dashboard).
  async function checkReachable(): Promise<void> {
    try {
      await writer.ping();
      if (!status.influxReachable) status = { ...status, influxReachable: true, lastError: null };
    } catch (err) {
      status = {
        ...status,
        influxReachable: false,
        lastError: err instanceof Error ? err.message : String(err),
      };
    }
  }

  async function run(): Promise<void> {
    while (true) {
      const stopping = !running;
      if (stopping && now() >= stopDeadline) return;
      const batch = journal.peek(batchSize);
      const last = batch.at(-1);
      if (last === undefined) {
        if (stopping) return;
        await checkReachable();
        await pause(opts.idleMs ?? 1000);
        continue;
      }
      const lines = batch.map((b) => b.line);
      const started = now();
      try {
        const result = await writer.write(lines);
        await journal.ack(last.id, result.refused, now());
        status = { influxReachable: true, lastError: null, lastWriteAtMs: now(), failedAttempts: 0 };
        opts.onWrite?.({ result, lines: lines.length, durationMs: now() - started });
      } catch (err) {
        const e =
          err instanceof RetryableWriteError ? err : new RetryableWriteError(String(err), 0, { cause: err });
        const attempt = status.failedAttempts + 1;
        status = { ...status, influxReachable: false, lastError: e.message, failedAttempts: attempt };
        if (stopping) return;
        const delay = Math.max(e.retryAfterMs, retry.createTimeout(attempt, backoff));
        opts.onError?.(e, attempt, delay);
        await pause(delay);
      }
    }
  }

  return {
    start() {
      if (running) return;
      running = true;
      stopDeadline = Number.POSITIVE_INFINITY;
      // An append wakes an idle drain at once, so a quiet spool is written within a turn.
      unsubscribe.off = journal.onAppend(() => {
        if (status.failedAttempts === 0) wake.abort();
      });
      loop = run().catch((err: unknown) => {
        running = false;
        unsubscribe.off();
        status = { ...status, lastError: `spool failed: ${String(err)}` };
        opts.onFatal?.(err);
      });
    },
    async stop(flushTimeoutMs = 5000) {
      if (!running) return;
      running = false;
      stopDeadline = now() + flushTimeoutMs;
      unsubscribe.off();
      wake.abort();
      await loop;
      loop = null;
    },
    status: () => status,
  };
}
