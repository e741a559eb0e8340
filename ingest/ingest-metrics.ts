import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { rejectReasonCodes, topicKeys } from '../protocol/index.ts';

export interface IngestGauges {
  spoolDepth(): number;
  influxUp(): boolean;
  deadLetters(): number;
}

/** Ingest's Prometheus metrics, registered in the registry the platform hands in. */
export function createIngestMetrics(registry: Registry, gauges: IngestGauges) {
  const registers = [registry];
  const accepted = new Counter({
    name: 'ingest_messages_accepted_total',
    help: 'Device messages accepted by ingest, by topic kind',
    labelNames: ['kind'] as const,
    registers,
  });
  const rejected = new Counter({
    name: 'ingest_messages_rejected_total',
    help: 'Device messages refused by ingest, by reason code (protocol/reject-reasons.ts)',
    labelNames: ['reason'] as const,
    registers,
  });
  // Zero-initialised so dashboards and alerts see every series before the first event.
  for (const kind of topicKeys) accepted.inc({ kind }, 0);
  for (const reason of rejectReasonCodes) rejected.inc({ reason }, 0);
  return {
    accepted,
    rejected,
    pointsWritten: new Counter({
      name: 'ingest_points_written_total',
      help: 'Lines InfluxDB accepted',
      registers,
    }),
    writeSeconds: new Histogram({
      name: 'ingest_write_duration_seconds',
      help: 'Duration of successful InfluxDB write requests (a batch of up to 5,000 lines)',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    spoolDepth: new Gauge({
      name: 'ingest_spool_depth',
      help: 'Lines committed to the spool and not yet written to InfluxDB',
      registers,
      collect() {
        this.set(gauges.spoolDepth());
      },
    }),
    influxUp: new Gauge({
      name: 'ingest_influx_up',
      help: '1 when the last InfluxDB write succeeded, 0 while ingest is backing off',
      registers,
      collect() {
        this.set(gauges.influxUp() ? 1 : 0);
      },
    }),
    deadLetters: new Gauge({
      name: 'ingest_dead_letters',
      help: 'Lines InfluxDB refused as malformed, kept in the spool database dead_letters table',
      registers,
      collect() {
        this.set(gauges.deadLetters());
      },
    }),
  };
}

export type IngestMetrics = ReturnType<typeof createIngestMetrics>;
