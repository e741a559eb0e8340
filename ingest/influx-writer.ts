import { HttpError, InfluxDB, type Transport } from '@influxdata/influxdb-client';
import type { DeadLetter } from './journal.ts';

/** Where ingest writes: a 1.x server (`v1`: /write) or a 1.8+/2.x/3.x server (`v2`: /api/v2/write). */
export interface InfluxTarget {
  readonly url: string;
  readonly api: 'v1' | 'v2';
  /** v1: database (also the default bucket name for v2 when `bucket` is not given). */
  readonly db: string;
  /** v1: retention policy; the database's default when absent. */
  readonly rp?: string | undefined;
  readonly org?: string | undefined;
  readonly bucket?: string | undefined;
  readonly token?: string | undefined;
  readonly username?: string | undefined;
  readonly password?: string | undefined;
  /** Per-request timeout, ms (default 10 s). */
  readonly timeoutMs?: number | undefined;
}

export interface WriteResult {
  /** Lines InfluxDB accepted. */
  readonly written: number;
  /** Lines InfluxDB refused as malformed, each with the server's message. */
  readonly refused: readonly DeadLetter[];
}

/** InfluxDB could not be reached or is overloaded: the same lines should be written again later. */
export class RetryableWriteError extends Error {
  override readonly name = 'RetryableWriteError';
  /** Server-requested wait (Retry-After), ms; 0 when it did not ask. */
  readonly retryAfterMs: number;
  constructor(message: string, retryAfterMs: number, options?: ErrorOptions) {
    super(message, options);
    this.retryAfterMs = retryAfterMs;
  }
}

export interface InfluxWriter {
  /**
   * Writes the lines. Resolves with what landed and what the server refused line by line
   * (found by bisecting a refused batch); throws `RetryableWriteError` when nothing can be
   * said about the lines yet (outage, timeout, 5xx, 429, auth or missing database).
   */
  write(lines: readonly string[]): Promise<WriteResult>;
  /** Resolves when the server answers `/ping` (1.x, 1.8+, 2.x and 3.x all serve it). */
  ping(): Promise<void>;
}

/**
 * Statuses that blame the request body rather than the server: 400 malformed line or field type
 * conflict, 413 body too large, 422 (v2) unprocessable point, e.g. outside retention.
 */
const refusedStatuses = new Set([400, 413, 422]);

/**
 * One code path for both APIs: the lines are POSTed through the official client's transport (its
 * HTTP handling and error types), never through its WriteApi, whose retry buffer drops lines in a
 * long outage (docs/engineering.md). Retrying is the drain's job; this only classifies.
 */
export function createInfluxWriter(target: InfluxTarget): InfluxWriter {
  const transport: Transport = new InfluxDB({
    url: target.url,
    ...(target.token === undefined ? {} : { token: target.token }),
    timeout: target.timeoutMs ?? 10_000,
  }).transport;
  const path = writePath(target);
  const headers: Record<string, string> = { 'content-type': 'text/plain; charset=utf-8' };
  if (target.username !== undefined && target.token === undefined) {
    const basic = Buffer.from(`${target.username}:${target.password ?? ''}`).toString('base64');
    headers.authorization = `Basic ${basic}`;
  }

  async function post(lines: readonly string[]): Promise<WriteResult> {
    try {
      await transport.request(path, lines.join('\n'), { method: 'POST', headers });
      return { written: lines.length, refused: [] };
    } catch (err) {
      if (err instanceof HttpError && refusedStatuses.has(err.statusCode)) {
        if (lines.length === 1)
          return { written: 0, refused: [{ line: lines[0] ?? '', error: err.message }] };
        // Bisect: the good lines of a refused batch still land (a 1.x "partial write" may already
        // have stored them; writing them again overwrites the same points).
        const mid = lines.length >>> 1;
        const a = await post(lines.slice(0, mid));
        const b = await post(lines.slice(mid));
        return { written: a.written + b.written, refused: [...a.refused, ...b.refused] };
      }
      throw toRetryable(err);
    }
  }

  return {
    write: (lines) => (lines.length === 0 ? Promise.resolve({ written: 0, refused: [] }) : post(lines)),
    async ping() {
      try {
        await transport.request('/ping', '', { method: 'GET', headers });
      } catch (err) {
        throw toRetryable(err);
      }
    },
  };
}

function writePath(t: InfluxTarget): string {
  if (t.api === 'v1') {
    const q = new URLSearchParams({ db: t.db, precision: 'ns' });
    if (t.rp !== undefined) q.set('rp', t.rp);
    return `/write?${q}`;
  }
  // 1.8's v2 endpoint ignores org; 2.x and 3.x need it (or take it from the token).
  const q = new URLSearchParams({ bucket: t.bucket ?? t.db, precision: 'ns' });
  if (t.org !== undefined) q.set('org', t.org);
  return `/api/v2/write?${q}`;
}

function toRetryable(err: unknown): RetryableWriteError {
  if (err instanceof HttpError) {
    return new RetryableWriteError(
      `InfluxDB answered ${err.statusCode}: ${err.message}`,
      err.retryAfter() * 1000,
      {
        cause: err,
      },
    );
  }
  const code = (err as { code?: unknown } | null)?.code;
  const message = err instanceof Error ? err.message : String(err);
  return new RetryableWriteError(
    `InfluxDB unreachable: ${typeof code === 'string' ? `${code} ` : ''}${message}`,
    0,
    { cause: err },
  );
}
