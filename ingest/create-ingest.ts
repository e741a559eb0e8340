import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { MessageSink, RejectReason, SenderIdentity, SinkOutcome } from '../protocol/index.ts';
import { createDrain } from './drain.ts';
import { createInfluxWriter, type InfluxTarget } from './influx-writer.ts';
import { createIngestMetrics } from './ingest-metrics.ts';
import { Journal, type JournalSync } from './journal.ts';
import { ThreadedJournal } from './threaded-journal.ts';
import { rejectLine, toLines } from './to-lines.ts';
import { type Validation, validate } from './validate.ts';

export interface IngestOptions {
  /** The spool's SQLite file (created if missing); `DATA_DIR/spool.sqlite` on the platform. */
  readonly journalPath: string;
  readonly influx: InfluxTarget;
  /** prom-client registry the ingest metrics are registered in. */
  readonly metrics: Registry;
  readonly logger: Logger;
  /** Wall clock, ms (the timestamp window and the rejects' timestamps). */
  readonly now?: () => number;
  readonly synchronous?: JournalSync;
  /**
   * Commit the spool on a worker thread (default), so fsyncs never block the broker's event loop;
   * `false` commits on this thread (kept for measuring the difference).
   */
  readonly spoolThread?: boolean;
  readonly batchSize?: number;
  /** Backoff bounds for failed writes, ms (tests shorten them). */
  readonly minRetryMs?: number;
  readonly maxRetryMs?: number;
}

export interface IngestStatus {
  readonly spoolDepth: number;
  readonly influxReachable: boolean;
  readonly deadLetters: number;
  readonly lastError: string | null;
  readonly lastWriteAtMs: number | null;
}

export interface Ingest extends MessageSink {
  /** Starts draining the spool into InfluxDB (including what a previous run left). */
  start(): void;
  /**
   * Resolves once the spool's writer thread is up (about a second: it compiles its TypeScript).
   * Optional: `receive` works before, its messages simply wait for it.
   */
  ready(): Promise<void>;
  /** Stops the drain after a short flush (what is left stays spooled) and closes the spool. */
  stop(): Promise<void>;
  status(): IngestStatus;
}

/** How often the same reject reason may be logged at `warn`; the rest go to `debug`. */
const REJECT_LOG_WINDOW_MS = 10_000;

/**
 * Ingest as the broker's `MessageSink`: validates each message, commits its lines (or the
 * record of its refusal) to the spool, and only then resolves, so the device's PUBACK means
 * durable. A drain writes the spool to InfluxDB in order; an outage only grows the spool.
 */
export function createIngest(opts: IngestOptions): Ingest {
  const now = opts.now ?? Date.now;
  const log = opts.logger;
  const journalOptions = { synchronous: opts.synchronous ?? 'FULL' } as const;
  const journal =
    opts.spoolThread === false
      ? Journal.open(opts.journalPath, journalOptions)
      : ThreadedJournal.open(opts.journalPath, journalOptions);
  const drain = createDrain({
    journal,
    // The drain times real I/O (backoff, flush deadline, write latency) on the wall clock; `now`
    // is the platform's clock for the data (timestamp window, reject timestamps).
    writer: createInfluxWriter(opts.influx),
    ...(opts.batchSize === undefined ? {} : { batchSize: opts.batchSize }),
    ...(opts.minRetryMs === undefined ? {} : { minRetryMs: opts.minRetryMs }),
    ...(opts.maxRetryMs === undefined ? {} : { maxRetryMs: opts.maxRetryMs }),
    onWrite({ result, durationMs }) {
      metrics.pointsWritten.inc(result.written);
      metrics.writeSeconds.observe(durationMs / 1000);
      for (const d of result.refused) log.error({ line: d.line, error: d.error }, 'InfluxDB refused a line');
    },
    onError(err, attempt, delayMs) {
      // First failure and then every 10th, so a long outage does not flood the log.
      if (attempt === 1 || attempt % 10 === 0) {
        log.warn(
          { err: err.message, attempt, delayMs, spoolDepth: journal.depth() },
          'InfluxDB write failed',
        );
      }
    },
    onFatal(err) {
      log.error({ err }, 'ingest spool failed; drain stopped');
    },
  });
  const metrics = createIngestMetrics(opts.metrics, {
    spoolDepth: () => journal.depth(),
    influxUp: () => drain.status().influxReachable,
    deadLetters: () => journal.deadLetterCount(),
  });
  let rejectSeq = 0;
  const rejectLog = new Map<RejectReason, { windowStart: number; suppressed: number }>();
  let stopped = false;

  function logReject(sender: SenderIdentity, topic: string, reason: RejectReason, detail: string): void {
    const t = now();
    const entry = rejectLog.get(reason);
    if (entry === undefined || t - entry.windowStart >= REJECT_LOG_WINDOW_MS) {
      const suppressed = entry?.suppressed ?? 0;
      rejectLog.set(reason, { windowStart: t, suppressed: 0 });
      log.warn({ sender: sender.id, topic, reason, detail, suppressed }, 'message rejected');
    } else {
      entry.suppressed++;
      log.debug({ sender: sender.id, topic, reason, detail }, 'message rejected');
    }
  }

  // A bug in conversion must not take the broker down: the message is refused and logged loudly.
  function decide(sender: SenderIdentity, topic: string, payload: Buffer, receivedMs: number) {
    try {
      const v: Validation = validate(sender, topic, payload, receivedMs);
      return v.ok ? { v, lines: toLines(v, sender) } : { v, lines: [] };
    } catch (err) {
      log.error({ err, sender: sender.id, topic }, 'ingest failed to convert a message');
      const v: Validation = {
        ok: false,
        reason: 'schema_violation',
        detail: `not convertible: ${String(err)}`,
      };
      return { v, lines: [] };
    }
  }

  return {
    async receive(sender, topic, payload): Promise<SinkOutcome> {
      if (stopped) throw new Error('ingest is stopped');
      const receivedMs = now();
      const { v, lines } = decide(sender, topic, payload, receivedMs);
      if (v.ok) {
        // A journal failure (disk full) rejects: the broker then withholds the PUBACK and the
        // device resends later. Nothing unacknowledged is claimed durable.
        await journal.append(lines);
        metrics.accepted.inc({ kind: v.key });
        return lines.length === 0 ? 'ignored' : 'stored';
      }
      const seq = rejectSeq;
      rejectSeq = (rejectSeq + 1) % 1_000_000;
      await journal.append([
        rejectLine({ sender, topic, payload, reason: v.reason, detail: v.detail, receivedMs, seq }),
      ]);
      metrics.rejected.inc({ reason: v.reason });
      logReject(sender, topic, v.reason, v.detail);
      return 'rejected';
    },
    start() {
      if (stopped) throw new Error('ingest is stopped');
      drain.start();
    },
    ready: () => (journal instanceof ThreadedJournal ? journal.ready() : Promise.resolve()),
    async stop() {
      if (stopped) return;
      stopped = true;
      await drain.stop();
      await journal.close();
    },
    status() {
      const d = drain.status();
      return {
        spoolDepth: journal.depth(),
        influxReachable: d.influxReachable,
        deadLetters: journal.deadLetterCount(),
        lastError: d.lastError,
        lastWriteAtMs: d.lastWriteAtMs,
      };
    },
  };
}
