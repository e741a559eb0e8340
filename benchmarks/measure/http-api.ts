import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import type { HttpFigure } from '../report/results.ts';
import { spawnTarget } from '../target/spawn-target.ts';

interface CannonResult {
  readonly requests: { readonly average: number };
  readonly latency: { readonly p50: number; readonly p99: number; readonly max: number };
  readonly errors: number;
  readonly non2xx: number;
  readonly '2xx': number;
  readonly duration: number;
  readonly statusCodeStats?: Record<string, { count: number }>;
}

function cannon(url: string, seconds: number, connections: number): Promise<CannonResult> {
  return new Promise((resolve, reject) => {
    autocannon({ url, duration: seconds, connections, pipelining: 1 }, (err, res) =>
      err ? reject(err) : resolve(res as unknown as CannonResult),
    );
  });
}

/**
 * HTTP throughput and latency of the platform's busiest routes with autocannon; baseline in the
 * same run: node's bare http server in its own process, same connections and duration.
 */
export async function httpApi(opts: {
  baseUrl: string;
  routes: readonly string[];
  seconds: number;
  connections: number;
}): Promise<HttpFigure[]> {
  const bare = await spawnTarget<{ httpUrl: string }>(
    fileURLToPath(new URL('../target/bare-http.ts', import.meta.url)),
  );
  let baseline: CannonResult;
  try {
    baseline = await cannon(`${bare.info.httpUrl}/`, opts.seconds, opts.connections);
  } finally {
    await bare.stop();
  }
  const out: HttpFigure[] = [];
  for (const route of opts.routes) {
    const r = await cannon(`${opts.baseUrl}${route}`, opts.seconds, opts.connections);
    out.push({
      route,
      requestsPerSec: r.requests.average,
      latencyMs: { p50: r.latency.p50, p99: r.latency.p99, max: r.latency.max },
      baselineRequestsPerSec: baseline.requests.average,
      ratio: r.requests.average / baseline.requests.average,
      errors: r.errors,
      non2xx: r.non2xx,
      okPerSec: r['2xx'] / r.duration,
      statusCodes: Object.fromEntries(Object.entries(r.statusCodeStats ?? {}).map(([k, v]) => [k, v.count])),
    });
  }
  return out;
}
