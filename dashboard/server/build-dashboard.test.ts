import { afterEach, describe, expect, it } from 'vitest';
import { dashboardFixture, type Fixture, PASSWORDS, T0 } from './test-support/dashboard-fixture.ts';

let f: Fixture | null = null;
afterEach(async () => {
  await f?.close();
  f = null;
});

async function fixture(...args: Parameters<typeof dashboardFixture>): Promise<Fixture> {
  f = await dashboardFixture(...args);
  return f;
}

const holdNs = { intersectionId: 'A', kind: 'hold', phaseId: 'NS', minutes: 15, reason: 'stadium emptying' };

describe('dashboard API: authentication', () => {
  it('logs in with the right password and sets an http-only, SameSite=Strict session cookie', async () => {
    const { app } = await fixture();
    const res = await app.inject({
      method: 'POST',
      url: '/api/login',
      payload: { name: 'oscar', password: PASSWORDS.op },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ name: 'oscar', role: 'operator' });
    const sid = res.cookies.find((c) => c.name === 'sid');
    expect(sid?.httpOnly).toBe(true);
    expect(sid?.sameSite).toBe('Strict');
    const me = await app.inject({ url: '/api/me', headers: { cookie: `sid=${sid?.value}` } });
    expect(me.json()).toEqual({ name: 'oscar', role: 'operator' });
  });

  it('refuses a wrong password with 401, sets no cookie, and audits the attempt', async () => {
    const fx = await fixture();
    const res = await fx.app.inject({
      method: 'POST',
      url: '/api/login',
      payload: { name: 'oscar', password: 'wrong-password-x' },
    });
    expect(res.statusCode).toBe(401);
    expect(res.cookies.find((c) => c.name === 'sid')).toBeUndefined();
    const audit = await fx.app.inject({
      url: '/api/audit?user=oscar',
      headers: { cookie: await fx.login('alice', PASSWORDS.admin) },
    });
    expect(audit.json().entries).toContainEqual(
      expect.objectContaining({ action: 'login', outcome: 'denied', user: 'oscar' }),
    );
  });

  it('rate-limits login attempts: the sixth within a minute gets 429 even with the right password', async () => {
    const { app } = await fixture();
    for (let i = 0; i < 5; i++) {
      const r = await app.inject({
        method: 'POST',
        url: '/api/login',
        payload: { name: 'oscar', password: `guess-${i}-xxxxxxx` },
      });
      expect(r.statusCode).toBe(401);
    }
    const sixth = await app.inject({
      method: 'POST',
      url: '/api/login',
      payload: { name: 'oscar', password: PASSWORDS.op },
    });
    expect(sixth.statusCode).toBe(429);
  });

  it('answers 401 on every API route without a session, and on a forged cookie', async () => {
    const { app } = await fixture();
    for (const url of [
      '/api/me',
      '/api/network',
      '/api/intersections/A',
      '/api/alerts',
      '/api/audit',
      '/api/overrides',
      '/openapi.json',
      '/docs',
    ]) {
      expect((await app.inject({ url })).statusCode, url).toBe(401);
    }
    expect((await app.inject({ url: '/api/me', headers: { cookie: 'sid=forged.value' } })).statusCode).toBe(
      401,
    );
    expect((await app.inject({ method: 'POST', url: '/api/overrides', payload: holdNs })).statusCode).toBe(
      401,
    );
  });

  it('ends the session on logout and after the idle timeout', async () => {
    const fx = await fixture({ sessionLimits: { idleMs: 60_000 } });
    const cookie = await fx.login('vera', PASSWORDS.viewer);
    expect((await fx.app.inject({ url: '/api/me', headers: { cookie } })).statusCode).toBe(200);
    fx.clock.advance(61_000);
    expect((await fx.app.inject({ url: '/api/me', headers: { cookie } })).statusCode).toBe(401);
    const again = await fx.login('vera', PASSWORDS.viewer);
    await fx.app.inject({ method: 'POST', url: '/api/logout', headers: { cookie: again } });
    expect((await fx.app.inject({ url: '/api/me', headers: { cookie: again } })).statusCode).toBe(401);
  });

  it('sends security headers with a strict CSP', async () => {
    const { app } = await fixture();
    const res = await app.inject({
      method: 'POST',
      url: '/api/login',
      payload: { name: 'x', password: 'y' },
    });
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("worker-src 'self' blob:");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBeDefined();
  });
});

describe('dashboard API: overrides', () => {
  it('forbids viewers (403) and audits the denial', async () => {
    const fx = await fixture();
    const cookie = await fx.login('vera', PASSWORDS.viewer);
    const res = await fx.app.inject({
      method: 'POST',
      url: '/api/overrides',
      headers: { cookie },
      payload: holdNs,
    });
    expect(res.statusCode).toBe(403);
    expect(fx.published).toEqual([]);
    const audit = fx.app.audit.query({ limit: 10, user: 'vera' });
    expect(audit).toContainEqual(expect.objectContaining({ action: 'override.create', outcome: 'denied' }));
  });

  it('refuses a plan the safety envelope rejects with 422 and its reasons, publishes nothing, audits it', async () => {
    const fx = await fixture();
    const cookie = await fx.login('oscar', PASSWORDS.op);
    const res = await fx.app.inject({
      method: 'POST',
      url: '/api/overrides',
      headers: { cookie },
      payload: {
        intersectionId: 'A',
        kind: 'plan',
        planId: 'broken',
        minutes: 10,
        reason: 'testing a bad plan',
      },
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().reasons).toContain('phase NS: conflicting movements NT and ET green together');
    expect(fx.published).toEqual([]);
    const [entry] = fx.app.audit.query({ limit: 1 });
    expect(entry).toMatchObject({
      user: 'oscar',
      action: 'override.create',
      outcome: 'refused',
      target: 'A',
    });
  });

  it('accepts a hold: publishes an operator plan capped at 60 minutes that passed the envelope, audits it', async () => {
    const fx = await fixture();
    const cookie = await fx.login('oscar', PASSWORDS.op);
    const res = await fx.app.inject({
      method: 'POST',
      url: '/api/overrides',
      headers: { cookie },
      payload: { ...holdNs, minutes: 240 },
    });
    expect(res.statusCode).toBe(201);
    const { override } = res.json();
    expect(override.expiresAt).toBe(T0 + 60 * 60_000);
    expect(fx.published).toHaveLength(1);
    const { plan } = fx.published[0] ?? { plan: null };
    expect(plan).toMatchObject({ source: 'operator', expiresAt: T0 + 60 * 60_000, planId: 'hold-NS' });
    const ns = plan?.phases.find((p) => p.id === 'NS');
    const ew = plan?.phases.find((p) => p.id === 'EW');
    // Held phase at the envelope's maximum green, the other at its minimum (walk + ped clearance).
    expect(ns?.greenS).toBeGreaterThan(ew?.greenS ?? 0);
    expect(ns?.greenS).toBeLessThanOrEqual(120);
    expect(ew?.greenS).toBeGreaterThanOrEqual(7);
    const [entry] = fx.app.audit.query({ limit: 1 });
    expect(entry).toMatchObject({
      user: 'oscar',
      action: 'override.create',
      outcome: 'ok',
      reason: 'stadium emptying',
    });
    const list = await fx.app.inject({ url: '/api/overrides', headers: { cookie } });
    expect(list.json().overrides[0]).toMatchObject({ id: override.id, status: 'active' });
  });

  it('cancels: publishes the scheduled plan with expiresAt = now and marks the override cancelled', async () => {
    const fx = await fixture();
    const cookie = await fx.login('alice', PASSWORDS.admin);
    const created = await fx.app.inject({
      method: 'POST',
      url: '/api/overrides',
      headers: { cookie },
      payload: { intersectionId: 'B', kind: 'flash', minutes: 5, reason: 'signal head repair' },
    });
    expect(created.statusCode).toBe(201);
    expect(fx.published[0]?.plan.flash).toBe(true);
    fx.clock.advance(30_000);
    const id = created.json().override.id;
    const res = await fx.app.inject({ method: 'DELETE', url: `/api/overrides/${id}`, headers: { cookie } });
    expect(res.statusCode).toBe(200);
    expect(res.json().override.status).toBe('cancelled');
    expect(fx.published[1]?.plan).toMatchObject({
      planId: 'day',
      source: 'operator',
      expiresAt: T0 + 30_000,
    });
    expect(
      (await fx.app.inject({ method: 'DELETE', url: `/api/overrides/${id}`, headers: { cookie } }))
        .statusCode,
    ).toBe(409);
  });

  it('expires overrides on their own and records the expiry in the audit trail', async () => {
    const fx = await fixture();
    const cookie = await fx.login('oscar', PASSWORDS.op);
    await fx.app.inject({
      method: 'POST',
      url: '/api/overrides',
      headers: { cookie },
      payload: { ...holdNs, minutes: 1 },
    });
    fx.clock.advance(61_000);
    const list = await fx.app.inject({ url: '/api/overrides', headers: { cookie } });
    expect(list.json().overrides[0].status).toBe('expired');
    expect(fx.app.audit.query({ limit: 5 })).toContainEqual(
      expect.objectContaining({ action: 'override.expire', target: 'A' }),
    );
  });
});

describe('dashboard API: reads', () => {
  it('queries the audit trail by user and time window, newest first', async () => {
    const fx = await fixture();
    const admin = await fx.login('alice', PASSWORDS.admin);
    fx.clock.advance(10_000);
    await fx.login('oscar', PASSWORDS.op);
    fx.clock.advance(10_000);
    await fx.login('oscar', PASSWORDS.op);
    const res = await fx.app.inject({
      url: `/api/audit?user=oscar&from=${T0 + 5000}&limit=10`,
      headers: { cookie: admin },
    });
    expect(res.statusCode).toBe(200);
    const entries = res.json().entries;
    expect(entries.map((e: { ts: number }) => e.ts)).toEqual([T0 + 20_000, T0 + 10_000]);
    const old = await fx.app.inject({ url: `/api/audit?to=${T0 + 5000}`, headers: { cookie: admin } });
    expect(old.json().entries.every((e: { user: string }) => e.user === 'alice')).toBe(true);
  });

  it('serves a valid OpenAPI document naming every API route', async () => {
    const fx = await fixture();
    const res = await fx.app.inject({
      url: '/openapi.json',
      headers: { cookie: await fx.login('vera', PASSWORDS.viewer) },
    });
    expect(res.statusCode).toBe(200);
    const doc = JSON.parse(res.body);
    expect(doc.openapi).toMatch(/^3\./);
    for (const p of [
      '/api/login',
      '/api/network',
      '/api/intersections/{id}',
      '/api/history',
      '/api/overrides',
      '/api/audit',
    ]) {
      expect(Object.keys(doc.paths)).toContain(p);
    }
  });

  it('serves the network as GeoJSON and an intersection with its live status', async () => {
    const fx = await fixture();
    const cookie = await fx.login('vera', PASSWORDS.viewer);
    const net = (await fx.app.inject({ url: '/api/network', headers: { cookie } })).json();
    const extras = (await fx.app.inject({ url: '/api/network/extras', headers: { cookie } })).json();
    expect(net.type).toBe('FeatureCollection');
    const kinds = (geo: { features: { properties: { kind: string } }[] }) =>
      [...new Set(geo.features.map((x) => x.properties.kind))].sort();
    expect(kinds(net)).toEqual(['intersection', 'link']);
    expect(kinds(extras)).toEqual(['building', 'camera']);
    fx.live.applySignalState(
      'A',
      { ts: T0, planId: 'day', phase: 'NS', phaseElapsedS: 3, mode: 'fixed', faults: [], interval: 'green' },
      T0,
    );
    const a = (await fx.app.inject({ url: '/api/intersections/A', headers: { cookie } })).json();
    expect(a.status).toMatchObject({ mode: 'fixed', phase: 'NS', interval: 'green', planId: 'day' });
    expect(a.live).toHaveLength(4);
    expect((await fx.app.inject({ url: '/api/intersections/nope', headers: { cookie } })).statusCode).toBe(
      404,
    );
  });

  it('refuses a history request whose id is not an entity id, before it reaches InfluxDB', async () => {
    const fx = await fixture();
    const cookie = await fx.login('vera', PASSWORDS.viewer);
    const hostile = encodeURIComponent(`A' OR 1=1; DROP DATABASE city --`);
    const res = await fx.app.inject({
      url: `/api/history?series=counts&id=${hostile}&from=0&to=1000`,
      headers: { cookie },
    });
    expect(res.statusCode).toBe(400);
  });
});
