import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { cameraFleet } from '../load/fleet.ts';
import { FleetRun } from '../load/run-fleet.ts';
import { startPlatformSession } from '../target/platform-session.ts';
import { spawnTarget, type Target } from '../target/spawn-target.ts';
import { createDatabase } from './influx.ts';

export interface IdleResult {
  readonly connections: number;
  readonly connected: number;
  readonly rssMbBefore: number;
  readonly rssMbAfter: number;
  readonly kbPerConnection: number;
  readonly connectPerSec: number;
  readonly firstError?: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function idleAgainst(
  target: Target<unknown>,
  url: string,
  n: number,
  rampPerSec: number,
  secretOf: (id: string) => string,
): Promise<IdleResult> {
  const fleet = cameraFleet(n, 1, 1);
  await sleep(1000);
  const before = await target.rss();
  const t0 = performance.now();
  const run = await FleetRun.connect({ url, fleet, secretOf, mode: 'idle', rampPerSec, keepaliveS: 300 });
  const seconds = (performance.now() - t0) / 1000;
  await sleep(3000);
  const after = await target.rss();
  const t = await run.snapshot();
  await run.close();
  return {
    connections: n,
    connected: t.connected,
    rssMbBefore: before / 2 ** 20,
    rssMbAfter: after / 2 ** 20,
    kbPerConnection: t.connected > 0 ? (after - before) / 1024 / t.connected : Number.NaN,
    connectPerSec: t.connected / seconds,
    ...(t.firstError ? { firstError: t.firstError } : {}),
  };
}

/** Broker memory per idle connection and the connection rate, on the platform (auth at CONNECT). */
export async function idlePlatform(opts: {
  influxUrl: string;
  db: string;
  connections: number;
  rampPerSec: number;
}): Promise<IdleResult> {
  await createDatabase(opts.influxUrl, opts.db);
  const session = await startPlatformSession({
    influxUrl: opts.influxUrl,
    db: opts.db,
    specs: cameraFleet(opts.connections, 1, 1).specs,
  });
  try {
    return await idleAgainst(
      session.target,
      session.url,
      opts.connections,
      opts.rampPerSec,
      session.secretOf,
    );
  } finally {
    await session.close();
  }
}

/** The same against bare aedes: the baseline. */
export async function idleBareAedes(opts: { connections: number; rampPerSec: number }): Promise<IdleResult> {
  const target = await spawnTarget<{ mqttPort: number }>(
    fileURLToPath(new URL('../target/bare-aedes.ts', import.meta.url)),
  );
  try {
    return await idleAgainst(
      target,
      `mqtt://127.0.0.1:${target.info.mqttPort}`,
      opts.connections,
      opts.rampPerSec,
      () => '',
    );
  } finally {
    await target.stop();
  }
}
