import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Registry } from '../../../broker/registry.ts';
import { enforceEnvelope } from '../../../control/index.ts';
import { buildDashboard } from '../build-dashboard.ts';
import { ManualClock } from '../clock.ts';
import type { DashboardDeps } from '../deps.ts';
import { LiveState } from '../live/live-state.ts';
import { PASSWORDS, T0 } from '../test-support/dashboard-fixture.ts';
import { tinyNetwork } from '../test-support/tiny-network.ts';

let dir = '';
let registry: Registry;
const apps: FastifyInstance[] = [];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dash-sessions-'));
  registry = Registry.open(join(dir, 'registry.sqlite'));
  await registry.addOperator('oscar', 'operator', PASSWORDS.op);
  await registry.addOperator('vera', 'viewer', PASSWORDS.viewer);
});

afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
  registry.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A dashboard on the files in `dir`, as the platform builds it after a (re)start. */
async function start(clock: ManualClock, extra: Partial<DashboardDeps> = {}): Promise<FastifyInstance> {
  const network = tinyNetwork();
  const app = await buildDashboard({
    registry,
    network,
    influx: { url: 'http://127.0.0.1:9', db: 'city' },
    live: new LiveState(network),
    auditDbPath: join(dir, 'audit.sqlite'),
    sessionDbPath: join(dir, 'sessions.sqlite'),
    publishPlan: async () => {},
    envelope: enforceEnvelope,
    clock,
    logger: pino({ level: 'silent' }),
    cookieSecret: 'test-cookie-secret-that-is-long-enough-123',
    ...extra,
  });
  await app.ready();
  apps.push(app);
  return app;
}

async function stop(app: FastifyInstance): Promise<void> {
  apps.splice(apps.indexOf(app), 1);
  await app.close();
}

/** Logs in; returns the cookie header and the raw token inside the signed cookie. */
async function login(app: FastifyInstance, name: string, password: string) {
  const res = await app.inject({ method: 'POST', url: '/api/login', payload: { name, password } });
  expect(res.statusCode).toBe(200);
  const value = res.cookies.find((c) => c.name === 'sid')?.value ?? '';
  const token = decodeURIComponent(value).split('.')[0] ?? '';
  expect(token.length).toBeGreaterThanOrEqual(43);
  return { cookie: `sid=${value}`, token };
}

const me = (app: FastifyInstance, cookie: string) => app.inject({ url: '/api/me', headers: { cookie } });

describe('dashboard sessions on disk', () => {
  it('keep an operator logged in across a restart', async () => {
    const first = await start(new ManualClock(T0));
    const { cookie } = await login(first, 'oscar', PASSWORDS.op);
    await stop(first);

    const second = await start(new ManualClock(T0 + 5 * 60_000));
    const res = await me(second, cookie);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ name: 'oscar', role: 'operator' });
  });

  it('end after a restart once the idle limit has passed while the server was down', async () => {
    const limits = { sessionLimits: { idleMs: 10 * 60_000 } };
    const first = await start(new ManualClock(T0), limits);
    const { cookie } = await login(first, 'oscar', PASSWORDS.op);
    await stop(first);

    const second = await start(new ManualClock(T0 + 10 * 60_000 + 1), limits);
    expect((await me(second, cookie)).statusCode).toBe(401);
  });

  it('end at the absolute lifetime even when used all along', async () => {
    const clock = new ManualClock(T0);
    const app = await start(clock, { sessionLimits: { ttlMs: 3_600_000, idleMs: 30 * 60_000 } });
    const { cookie } = await login(app, 'vera', PASSWORDS.viewer);
    for (let i = 0; i < 5; i++) {
      clock.advance(10 * 60_000);
      expect((await me(app, cookie)).statusCode).toBe(200);
    }
    clock.advance(10 * 60_000);
    expect((await me(app, cookie)).statusCode).toBe(401);
  });

  it('end when the operator is revoked', async () => {
    const clock = new ManualClock(T0);
    const app = await start(clock);
    const { cookie } = await login(app, 'vera', PASSWORDS.viewer);
    const other = await login(app, 'oscar', PASSWORDS.op);
    registry.revokeOperator('vera');
    clock.advance(1000);
    expect((await me(app, cookie)).statusCode).toBe(401);
    expect((await me(app, other.cookie)).statusCode).toBe(200);
  });

  it('end when the operator is revoked while the server is down', async () => {
    const first = await start(new ManualClock(T0));
    const { cookie } = await login(first, 'vera', PASSWORDS.viewer);
    await stop(first);
    registry.revokeOperator('vera');
    const clock = new ManualClock(T0 + 60_000);
    const second = await start(clock);
    clock.advance(1000);
    expect((await me(second, cookie)).statusCode).toBe(401);
  });

  it('end when the operator gets another role', async () => {
    const clock = new ManualClock(T0);
    const app = await start(clock);
    const { cookie } = await login(app, 'oscar', PASSWORDS.op);
    registry.revokeOperator('oscar');
    await registry.addOperator('oscar', 'viewer', PASSWORDS.op);
    clock.advance(1000);
    expect((await me(app, cookie)).statusCode).toBe(401);
    const again = await login(app, 'oscar', PASSWORDS.op);
    expect((await me(app, again.cookie)).json()).toEqual({ name: 'oscar', role: 'viewer' });
  });

  it('end when the account is revoked and made again under the same name and role', async () => {
    const clock = new ManualClock(T0);
    const app = await start(clock);
    const { cookie } = await login(app, 'vera', PASSWORDS.viewer);
    registry.revokeOperator('vera');
    // A registry stamps accounts in whole milliseconds: make sure the new one differs.
    await new Promise((r) => setTimeout(r, 5));
    await registry.addOperator('vera', 'viewer', 'another-password-1');
    clock.advance(1000);
    expect((await me(app, cookie)).statusCode).toBe(401);
  });

  it('keep only a sha256 of the token on disk', async () => {
    const app = await start(new ManualClock(T0));
    const { token } = await login(app, 'oscar', PASSWORDS.op);
    const { token: second } = await login(app, 'vera', PASSWORDS.viewer);

    const db = new Database(join(dir, 'sessions.sqlite'), { readonly: true });
    const hashes = db
      .prepare<[], { token_hash: Buffer }>('SELECT token_hash FROM sessions')
      .all()
      .map((r) => r.token_hash.toString('hex'));
    db.close();
    const sha = (t: string) => createHash('sha256').update(t).digest('hex');
    expect(hashes.sort()).toEqual([sha(token), sha(second)].sort());

    for (const f of readdirSync(dir).filter((n) => n.startsWith('sessions.sqlite'))) {
      const bytes = readFileSync(join(dir, f));
      expect(bytes.includes(token)).toBe(false);
      expect(bytes.includes(Buffer.from(token, 'base64url'))).toBe(false);
    }
  });

  it('are purged from disk once expired', async () => {
    const clock = new ManualClock(T0);
    const app = await start(clock, { sessionLimits: { idleMs: 60_000 } });
    await login(app, 'oscar', PASSWORDS.op);
    const count = () => {
      const db = new Database(join(dir, 'sessions.sqlite'), { readonly: true });
      const n = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM sessions').get()?.n;
      db.close();
      return n;
    };
    expect(count()).toBe(1);
    clock.advance(61_000);
    expect(count()).toBe(0);
  });
});
