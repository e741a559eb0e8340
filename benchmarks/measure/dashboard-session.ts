import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Registry } from '../../broker/registry.ts';
import { buildWeb } from '../../dashboard/web/build.ts';
import type { CpuProfile } from '../report/cpu-profile.ts';
import { spawnTarget, type Target } from '../target/spawn-target.ts';

const TARGET = fileURLToPath(new URL('../../dashboard/server/bench/dashboard-target.ts', import.meta.url));

export interface DashboardInfo {
  readonly httpUrl: string;
  readonly intersections: number;
  readonly links: number;
}

export interface DashboardServerStats {
  readonly seq: number;
  readonly sockets: number;
  readonly resyncs: number;
  readonly feedConnected: boolean;
  readonly skipped: Record<string, number>;
  /** Since the previous `stats()` call. */
  readonly eventLoopDelayMs: { readonly p50: number; readonly p99: number; readonly max: number };
}

export interface Operator {
  readonly name: string;
  readonly password: string;
}

export interface DashboardSession {
  readonly url: string;
  readonly target: Target<DashboardInfo>;
  readonly operators: readonly Operator[];
  /** Signs in through `POST /api/login` and returns the `sid=…` cookie. */
  login(op: Operator): Promise<string>;
  stats(): Promise<DashboardServerStats>;
  profileStart(): Promise<void>;
  profileStop(): Promise<CpuProfile>;
  close(): Promise<void>;
}

/**
 * The dashboard server in its own process (dashboard/server/bench/dashboard-target.ts) on a
 * generated network, with a viewer and an operator account in a fresh registry. With `web` the web
 * app is built first when stale, so the server serves the current bundle.
 */
export async function startDashboardSession(o: {
  intersections: number;
  seed?: number;
  mqttUrl?: string;
  execArgv?: string[];
  /** Build the web app first when stale (needed only when a browser loads it; Vite takes a while). */
  web?: boolean;
}): Promise<DashboardSession> {
  if (o.web) await buildWeb();
  const dir = await mkdtemp(join(tmpdir(), 'bench-dashboard-'));
  const registry = Registry.open(join(dir, 'registry.sqlite'));
  const operators = [
    await registry.addOperator('bench-viewer', 'viewer'),
    await registry.addOperator('bench-operator', 'operator'),
  ];
  registry.close();
  const target = await spawnTarget<DashboardInfo>(TARGET, {
    env: {
      BENCH_DATA_DIR: dir,
      BENCH_INTERSECTIONS: String(o.intersections),
      BENCH_SEED: String(o.seed ?? 1),
      ...(o.mqttUrl ? { BENCH_MQTT_URL: o.mqttUrl } : {}),
    },
    ...(o.execArgv ? { execArgv: o.execArgv } : {}),
  });
  const ask = <T>(cmd: string, reply: string, field: string) => target.ask<T>(cmd, reply, field);
  const url = target.info.httpUrl;
  return {
    url,
    target,
    operators,
    async login(op) {
      const res = await fetch(`${url}/api/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(op),
      });
      if (res.status !== 200) throw new Error(`login ${op.name}: ${res.status} ${await res.text()}`);
      const sid = res.headers
        .getSetCookie()
        .map((c) => c.split(';')[0] ?? '')
        .find((c) => c.startsWith('sid='));
      if (!sid) throw new Error('login answered without a sid cookie');
      return sid;
    },
    stats: () => ask<DashboardServerStats>('stats', 'stats', 'stats'),
    profileStart: () => ask<void>('profile-start', 'profile-started', 'type'),
    profileStop: () => ask<CpuProfile>('profile-stop', 'profile', 'profile'),
    async close() {
      await target.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
