import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Influxd, startInfluxd } from '../scripts/lib/influxd.ts';

// A real influxd in a temp dir for ingest's integration tests, and InfluxQL to read back.

export interface TestInflux {
  readonly server: Influxd;
  readonly db: string;
  readonly dir: string;
  close(): Promise<void>;
}

export async function startTestInflux(db = 'city'): Promise<TestInflux> {
  const dir = mkdtempSync(join(tmpdir(), 'ingest-influx-'));
  const server = await startInfluxd({ dataDir: join(dir, 'influxdb'), db });
  return {
    server,
    db,
    dir,
    async close() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

interface InfluxQlResult {
  results: Array<{
    error?: string;
    series?: Array<{ name: string; tags?: Record<string, string>; columns: string[]; values: unknown[][] }>;
  }>;
}

/**
 * Runs one InfluxQL statement; rows as objects keyed by column (plus GROUP BY tags). Times in ms: JSON numbers cannot
 * carry nanoseconds exactly.
 */
export async function influxQuery(url: string, db: string, q: string): Promise<Record<string, unknown>[]> {
  const res = await fetch(`${url}/query?${new URLSearchParams({ db, q, epoch: 'ms' })}`);
  if (!res.ok) throw new Error(`query failed: ${res.status} ${await res.text()}`);
  const body = (await res.json()) as InfluxQlResult;
  const r = body.results[0];
  if (r?.error !== undefined) throw new Error(r.error);
  return (r?.series ?? []).flatMap((s) =>
    s.values.map((v) => ({ ...s.tags, ...Object.fromEntries(s.columns.map((c, i) => [c, v[i]])) })),
  );
}
