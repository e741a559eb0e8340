import type { FastifyInstance } from 'fastify';
import type { Registry as MetricsRegistry } from 'prom-client';

export interface ReadinessCheck {
  readonly name: string;
  /** ok: serving; detail says why not (or what degraded mode it is in). */
  check(): { ok: boolean; detail?: string };
}

export interface OpsRoutesOptions {
  readonly metrics: MetricsRegistry;
  readonly readiness: readonly ReadinessCheck[];
  /** false: /metrics is not served (METRICS=off). */
  readonly metricsPublic: boolean;
}

/**
 * The only unauthenticated routes of the platform: liveness, readiness and Prometheus metrics.
 * They reveal no device data; operators who consider metrics sensitive set METRICS=off and
 * scrape through their own authenticated proxy.
 */
export function registerOpsRoutes(app: FastifyInstance, opts: OpsRoutesOptions): void {
  // Probes and scrapers poll from one address: the API's per-client rate limit must never turn a
  // health check into a 429 (a load balancer would take a healthy node out).
  const config = { rateLimit: false } as const;
  app.get('/healthz', { config }, async () => ({ status: 'ok' }));

  app.get('/readyz', { config }, async (_req, reply) => {
    const checks = opts.readiness.map((c) => ({ name: c.name, ...c.check() }));
    const ready = checks.every((c) => c.ok);
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not-ready', checks });
  });

  if (opts.metricsPublic) {
    app.get('/metrics', { config }, async (_req, reply) => {
      const body = await opts.metrics.metrics();
      return reply.header('content-type', opts.metrics.contentType).send(body);
    });
  }
}
