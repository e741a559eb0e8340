import type { IngestStatus } from '../../ingest/create-ingest.ts';

/**
 * One ingest status for several spools (the primary's and each broker worker's): depths and dead
 * letters add up, InfluxDB counts as reachable only if every drain reaches it, and the newest write
 * and the first error are the ones shown.
 */
export function sumIngestStatus(parts: readonly IngestStatus[]): IngestStatus {
  let spoolDepth = 0;
  let deadLetters = 0;
  let influxReachable = parts.length > 0;
  let lastError: string | null = null;
  let lastWriteAtMs: number | null = null;
  for (const p of parts) {
    spoolDepth += p.spoolDepth;
    deadLetters += p.deadLetters;
    influxReachable &&= p.influxReachable;
    lastError ??= p.lastError;
    if (p.lastWriteAtMs !== null && (lastWriteAtMs === null || p.lastWriteAtMs > lastWriteAtMs)) {
      lastWriteAtMs = p.lastWriteAtMs;
    }
  }
  return { spoolDepth, influxReachable, deadLetters, lastError, lastWriteAtMs };
}
