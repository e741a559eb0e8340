import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Registry } from '../../broker/registry.ts';
import type { DeviceSpec } from '../load/fleet.ts';
import type { CpuProfile } from '../report/cpu-profile.ts';
import { spawnTarget, type Target } from './spawn-target.ts';

export interface IngestStatusReply {
  readonly spoolDepth: number;
  readonly influxReachable: boolean;
  readonly deadLetters: number;
  readonly lastError: string | null;
}

export interface PlatformSession {
  readonly url: string;
  readonly target: Target<{ mqttPort: number; httpUrl: string }>;
  readonly secretOf: (id: string) => string;
  status(): Promise<IngestStatusReply>;
  /** Starts V8's sampling CPU profiler inside the platform process. */
  profileStart(): Promise<void>;
  /** Stops it and returns the profile (`.cpuprofile` format). */
  profileStop(): Promise<CpuProfile>;
  /** Waits until ingest's spool is empty (everything acknowledged is in InfluxDB). */
  waitDrained(timeoutMs?: number): Promise<boolean>;
  close(): Promise<void>;
}

const TARGET = fileURLToPath(new URL('./platform-target.ts', import.meta.url));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Registers devices in chunks (each chunk is one transaction; secrets are hashed off-thread). */
export async function provision(
  registryPath: string,
  specs: readonly DeviceSpec[],
  chunk = 20_000,
): Promise<Map<string, string>> {
  const registry = Registry.open(registryPath);
  const secrets = new Map<string, string>();
  try {
    for (let i = 0; i < specs.length; i += chunk) {
      for (const c of await registry.addDevices(specs.slice(i, i + chunk))) secrets.set(c.id, c.secret);
    }
  } finally {
    registry.close();
  }
  return secrets;
}

/**
 * A fresh platform (broker + ingest) in a child process, with its own registry and spool in a temp
 * folder, writing into `db` on the given InfluxDB. The devices are provisioned first, through the
 * registry itself, with real per-device secrets.
 */
export async function startPlatformSession(opts: {
  influxUrl: string;
  db: string;
  specs: readonly DeviceSpec[];
}): Promise<PlatformSession> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-platform-'));
  const secrets = await provision(join(dir, 'registry.sqlite'), opts.specs);
  const target = await spawnTarget<{ mqttPort: number; httpUrl: string }>(TARGET, {
    env: { BENCH_DATA_DIR: dir, INFLUX_URL: opts.influxUrl, INFLUX_DB: opts.db },
  });
  const ask = <T>(cmd: string, reply: string, field: string) => target.ask<T>(cmd, reply, field);
  const status = () => ask<IngestStatusReply>('status', 'status', 'status');
  return {
    url: `mqtt://127.0.0.1:${target.info.mqttPort}`,
    target,
    secretOf: (id) => secrets.get(id) ?? '',
    status,
    profileStart: () => ask<void>('profile-start', 'profile-started', 'type'),
    profileStop: () => ask<CpuProfile>('profile-stop', 'profile', 'profile'),
    async waitDrained(timeoutMs = 120_000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        if ((await status()).spoolDepth === 0) return true;
        await sleep(200);
      }
      return false;
    },
    async close() {
      await target.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
