import type { BoundQuery } from './history-query.ts';

export interface InfluxTarget {
  readonly url: string;
  readonly db: string;
  readonly rp?: string;
  readonly username?: string;
  readonly password?: string;
}

export interface InfluxSeries {
  readonly name: string;
  readonly tags?: Record<string, string>;
  readonly columns: string[];
  readonly values: unknown[][];
}

interface InfluxResponse {
  readonly error?: string;
  readonly results?: { readonly error?: string; readonly series?: InfluxSeries[] }[];
}

export class InfluxQueryError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'InfluxQueryError';
  }
}

/**
 * Runs one bound InfluxQL statement on the v1 `/query` endpoint (InfluxDB 1.x, and 2.x/3.x
 * through their v1 compatibility API), with times as ms epoch. Credentials go in the
 * Authorization header, never in the URL that proxies log.
 */
export async function influxQuery(
  target: InfluxTarget,
  query: BoundQuery,
  signal?: AbortSignal,
): Promise<InfluxSeries[]> {
  const search = new URLSearchParams({
    db: target.db,
    epoch: 'ms',
    q: query.text,
    params: JSON.stringify(query.params),
  });
  if (target.rp) search.set('rp', target.rp);
  const headers: Record<string, string> = { accept: 'application/json' };
  if (target.username !== undefined) {
    headers.authorization = `Basic ${Buffer.from(`${target.username}:${target.password ?? ''}`).toString('base64')}`;
  }
  const res = await fetch(`${target.url.replace(/\/$/, '')}/query`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
    body: search,
    signal: signal ?? AbortSignal.timeout(10_000),
  });
  const body = (await res.json().catch(() => ({}))) as InfluxResponse;
  const error = body.error ?? body.results?.[0]?.error;
  if (!res.ok || error !== undefined)
    throw new InfluxQueryError(error ?? `influx answered ${res.status}`, res.status);
  return body.results?.[0]?.series ?? [];
}
