/** The few InfluxDB v1 HTTP calls the benchmarks need: InfluxQL queries and exact counts. */

interface QueryResponse {
  results?: { series?: { columns: string[]; values: unknown[][] }[]; error?: string }[];
  error?: string;
}

export async function influxQuery(url: string, db: string, q: string): Promise<QueryResponse> {
  const res = await fetch(`${url}/query?${new URLSearchParams({ db, q, epoch: 'ms' })}`, {
    signal: AbortSignal.timeout(30_000),
  });
  const body = (await res.json()) as QueryResponse;
  const err = body.error ?? body.results?.[0]?.error;
  if (!res.ok || err) throw new Error(`InfluxDB refused ${q}: ${res.status} ${err ?? ''}`);
  return body;
}

/** The single number of a `SELECT count(field) …` answer (0 when there are no points). */
export function countOf(body: QueryResponse): number {
  const row = body.results?.[0]?.series?.[0]?.values?.[0];
  return row ? Number(row[1] ?? 0) : 0;
}

/** Fields present on every point of each measurement ingest writes: counting them counts points exactly. */
export const countedFields = {
  traffic_counts: 'intensity',
  signal_state: 'phaseElapsedS',
  meter_readings: 'value',
  ingest_rejects: 'topic',
} as const;

export type PointCounts = Record<keyof typeof countedFields, number> & { readonly readings: number };

/** Exact point counts per measurement (InfluxQL count); `readings` = every stored device reading. */
export async function countPoints(url: string, db: string): Promise<PointCounts> {
  const entries = await Promise.all(
    Object.entries(countedFields).map(
      async ([m, f]) => [m, countOf(await influxQuery(url, db, `SELECT count("${f}") FROM "${m}"`))] as const,
    ),
  );
  const c = Object.fromEntries(entries) as Record<keyof typeof countedFields, number>;
  return { ...c, readings: c.traffic_counts + c.signal_state + c.meter_readings };
}

export async function createDatabase(url: string, db: string): Promise<void> {
  const res = await fetch(`${url}/query`, {
    method: 'POST',
    body: new URLSearchParams({ q: `CREATE DATABASE "${db}"` }),
  });
  if (!res.ok) throw new Error(`CREATE DATABASE ${db}: ${res.status}`);
}
