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
});
