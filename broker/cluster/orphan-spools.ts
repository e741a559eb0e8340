import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { Registry as MetricsRegistry } from 'prom-client';
import { createIngest } from '../../ingest/create-ingest.ts';
import type { InfluxTarget } from '../../ingest/influx-writer.ts';
import { orphanWorkerSpools } from './worker-spools.ts';

export interface OrphanSpools {
  /** Spool files being drained. */
  readonly files: readonly string[];
  /** Lines still waiting in them. */
  depth(): number;
  stop(): Promise<void>;
}

/**
 * Drains the spools of broker workers this run does not have (a previous run used more broker
 * processes): each held acknowledged messages. Each gets its own drain until it is empty; the
 * file stays (empty) and is looked at again on the next start.
 */
export function drainOrphanSpools(o: {
  dataDir: string;
  processes: number;
  influx: InfluxTarget;
  logger: Logger;
  checkEveryMs?: number;
}): OrphanSpools {
  const files = orphanWorkerSpools(readdirSync(o.dataDir), o.processes);
  const running = files.map((file) => {
    // Own metrics registry each: these drains are short-lived and must not clash with ingest's names.
    const ingest = createIngest({
      journalPath: join(o.dataDir, file),
      influx: o.influx,
      metrics: new MetricsRegistry(),
      logger: o.logger.child({ svc: 'ingest', spool: file }),
    });
    const depth = ingest.status().spoolDepth;
    if (depth > 0) o.logger.warn({ spool: file, lines: depth }, 'draining a spool left by a broker worker');
    ingest.start();
    let done: Promise<void> | null = null;
    const finish = () => {
      done ??= ingest.stop();
      return done;
    };
    const timer = setInterval(() => {
      if (ingest.status().spoolDepth > 0) return;
      clearInterval(timer);
      void finish();
    }, o.checkEveryMs ?? 1000);
    return {
      depth: () => (done === null ? ingest.status().spoolDepth : 0),
      async stop() {
        clearInterval(timer);
        await finish();
      },
    };
  });
  return {
    files,
    depth: () => running.reduce((n, r) => n + r.depth(), 0),
    async stop() {
      await Promise.all(running.map((r) => r.stop()));
    },
  };
}
