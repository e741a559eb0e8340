import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { Registry } from '../../../broker/registry.ts';
import { enforceEnvelope } from '../../../control/index.ts';
import type { SignalPlan } from '../../../protocol/signal-plan.ts';
import { buildDashboard } from '../build-dashboard.ts';
import { ManualClock } from '../clock.ts';
import type { DashboardDeps } from '../deps.ts';
import { LiveState } from '../live/live-state.ts';
import { tinyNetwork } from './tiny-network.ts';

export const PASSWORDS = {
  admin: 'admin-password-1',
  op: 'operator-password-1',
  viewer: 'viewer-password-1',
};
/** 2026-11-30 12:00 UTC, a Monday. */
export const T0 = Date.UTC(2026, 10, 30, 12, 0, 0);

export interface Fixture {
  readonly app: FastifyInstance;
  readonly clock: ManualClock;
  readonly live: LiveState;
  readonly registry: Registry;
  readonly published: { intersectionId: string; plan: SignalPlan }[];
  /** Logs in and returns the `cookie` header value. */
  login(name: string, password: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * A dashboard on a real registry (SQLite, scrypt), the real safety envelope, a real audit
 * database in a temp dir, and a driven clock. Published plans are recorded: publishing is the
 * MQTT edge handed in by the platform.
 */
export async function dashboardFixture(overrides: Partial<DashboardDeps> = {}): Promise<Fixture> {
  const dir = mkdtempSync(join(tmpdir(), 'dash-'));
  const registry = Registry.open(join(dir, 'registry.sqlite'));
  await registry.addOperator('alice', 'admin', PASSWORDS.admin);
  await registry.addOperator('oscar', 'operator', PASSWORDS.op);
  await registry.addOperator('vera', 'viewer', PASSWORDS.viewer);
  const clock = new ManualClock(T0);
  const network = tinyNetwork();
  const live = new LiveState(network);
  const published: Fixture['published'] = [];
  const app = await buildDashboard({
    registry,
    network,
    influx: { url: 'http://127.0.0.1:9', db: 'city' },
    live,
    auditDbPath: join(dir, 'audit.sqlite'),
    publishPlan: async (intersectionId, plan) => {
      published.push({ intersectionId, plan });
    },
    envelope: enforceEnvelope,
    clock,
    logger: pino({ level: 'silent' }),
    cookieSecret: 'test-cookie-secret-that-is-long-enough-123',
    ...overrides,
  });
  await app.ready();
  return {
    app,
    clock,
    live,
    registry,
    published,
    async login(name, password) {
      const res = await app.inject({ method: 'POST', url: '/api/login', payload: { name, password } });
      if (res.statusCode !== 200) throw new Error(`login ${name}: ${res.statusCode} ${res.body}`);
      const c = res.cookies.find((x) => x.name === 'sid');
      if (!c) throw new Error('no sid cookie');
      return `sid=${c.value}`;
    },
    async close() {
      await app.close();
      registry.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
