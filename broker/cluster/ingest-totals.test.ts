import { describe, expect, it } from 'vitest';
import type { IngestStatus } from '../../ingest/create-ingest.ts';
import { sumIngestStatus } from './ingest-totals.ts';

const status = (s: Partial<IngestStatus>): IngestStatus => ({
  spoolDepth: 0,
  influxReachable: true,
  deadLetters: 0,
  lastError: null,
  lastWriteAtMs: null,
  ...s,
});

describe('ingest status over several spools', () => {
  it('adds depths and dead letters, keeps the newest write', () => {
    expect(
      sumIngestStatus([
        status({ spoolDepth: 3, deadLetters: 1, lastWriteAtMs: 100 }),
        status({ spoolDepth: 4, lastWriteAtMs: 250 }),
        status({}),
      ]),
    ).toEqual(status({ spoolDepth: 7, deadLetters: 1, lastWriteAtMs: 250 }));
  });

  it('is unreachable when any drain cannot reach InfluxDB, and says why', () => {
    const s = sumIngestStatus([status({}), status({ influxReachable: false, lastError: 'ECONNREFUSED' })]);
    expect(s.influxReachable).toBe(false);
    expect(s.lastError).toBe('ECONNREFUSED');
  });

  it('claims nothing reachable without any spool', () => {
    expect(sumIngestStatus([]).influxReachable).toBe(false);
  });
});
