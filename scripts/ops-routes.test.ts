import fastifyRateLimit from '@fastify/rate-limit';
import Fastify from 'fastify';
import { Counter, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { registerOpsRoutes } from './ops-routes.ts';

function build(ready: boolean, metricsPublic = true) {
  const metrics = new Registry();
  new Counter({ name: 'test_things_total', help: 'things', registers: [metrics] }).inc(3);
  const app = Fastify();
  registerOpsRoutes(app, {
    metrics,
    metricsPublic,
    readiness: [
      { name: 'broker', check: () => ({ ok: true }) },
      {
        name: 'influxdb',
        check: () => (ready ? { ok: true } : { ok: false, detail: 'unreachable, spooling' }),
      },
    ],
  });
  return app;
}

describe('ops routes', () => {
  it('answers liveness', async () => {
    const res = await build(true).inject('/healthz');
    expect(res.statusCode).toBe(200);
  });

  it('reports readiness per check and 503 when one fails', async () => {
    expect((await build(true).inject('/readyz')).statusCode).toBe(200);
    const res = await build(false).inject('/readyz');
    expect(res.statusCode).toBe(503);
    expect(res.json().checks).toContainEqual({
      name: 'influxdb',
      ok: false,
      detail: 'unreachable, spooling',
    });
  });

  it('serves Prometheus text, or nothing when turned off', async () => {
    const res = await build(true).inject('/metrics');
    expect(res.body).toContain('test_things_total 3');
    expect((await build(true, false).inject('/metrics')).statusCode).toBe(404);
  });

  it('is never rate limited with the API', async () => {
    const app = Fastify();
    await app.register(fastifyRateLimit, { global: true, max: 2, timeWindow: 60_000 });
    registerOpsRoutes(app, { metrics: new Registry(), metricsPublic: true, readiness: [] });
    app.get('/api/thing', async () => ({}));
    for (let i = 0; i < 5; i++) {
      expect((await app.inject('/healthz')).statusCode).toBe(200);
      expect((await app.inject('/readyz')).statusCode).toBe(200);
      expect((await app.inject('/metrics')).statusCode).toBe(200);
    }
    const api: number[] = [];
    for (let i = 0; i < 3; i++) api.push((await app.inject('/api/thing')).statusCode);
    expect(api).toEqual([200, 200, 429]);
  });
});
