import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Outgoing } from './city-core.ts';
import type { CityDevice } from './city-devices.ts';
import type { Fleet, FleetOptions, FleetStats } from './local-fleet.ts';

/** Parent → shard. */
export type ToShard =
  | {
      readonly type: 'init';
      readonly brokerUrl: string;
      readonly devices: readonly CityDevice[];
      readonly secrets: readonly [string, string][];
      readonly seed: number;
      readonly connectPerS?: number;
    }
  | { readonly type: 'deliver'; readonly nowMs: number; readonly messages: readonly Outgoing[] }
  | { readonly type: 'stop' };

/** Shard → parent. */
export type FromShard =
  | { readonly type: 'plan'; readonly intersectionId: string; readonly payload: string }
  | { readonly type: 'stats'; readonly stats: FleetStats }
  | { readonly type: 'stopped' };

const RUNNER = fileURLToPath(new URL('./shard-runner.ts', import.meta.url));

/**
 * The fleet spread over child processes, each holding its share of the MQTT connections (one
 * process may hold ~19,000 sockets). The model stays in the parent: device messages go to the
 * shards over IPC, plans the signal controllers receive come back.
 */
export function createShardedFleet(
  opts: FleetOptions & {
    readonly shards: number;
    /** Brokers the shards connect to, round-robin (default: `brokerUrl` alone). */
    readonly brokerUrls?: readonly string[];
  },
): Fleet {
  const n = Math.max(1, Math.floor(opts.shards));
  const urls =
    opts.brokerUrls !== undefined && opts.brokerUrls.length > 0 ? opts.brokerUrls : [opts.brokerUrl];
  const shardOf = new Map<string, number>();
  const parts: CityDevice[][] = Array.from({ length: n }, () => []);
  opts.devices.forEach((d, i) => {
    shardOf.set(d.id, i % n);
    parts[i % n]?.push(d);
  });
  const latest: FleetStats[] = parts.map((p) => ({ ...emptyStats(), devices: p.length }));
  const children: ChildProcess[] = parts.map((devices, k) => {
    const child = fork(RUNNER, [], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    child.on('message', (raw) => {
      const m = raw as FromShard;
      if (m.type === 'plan') opts.onPlan(m.intersectionId, Buffer.from(m.payload, 'utf8'));
      else if (m.type === 'stats') latest[k] = m.stats;
    });
    const init: ToShard = {
      type: 'init',
      // One broker process holds ~19,000 sockets too: a city-sized fleet may need several.
      brokerUrl: urls[k % urls.length] ?? opts.brokerUrl,
      devices,
      secrets: devices.map((d) => [d.id, opts.credentials.get(d.id) ?? '']),
      seed: opts.seed,
      ...(opts.connectPerS === undefined ? {} : { connectPerS: opts.connectPerS }),
    };
    child.send(init);
    return child;
  });
  return {
    deliver(messages) {
      const per: Outgoing[][] = children.map(() => []);
      for (const m of messages) per[shardOf.get(m.deviceId) ?? 0]?.push(m);
      const nowMs = opts.now();
      per.forEach((batch, k) => {
        const child = children[k];
        if (batch.length > 0 && child?.connected)
          child.send({ type: 'deliver', nowMs, messages: batch } satisfies ToShard);
      });
    },
    stats() {
      const s = emptyStats();
      for (const p of latest) {
        s.devices += p.devices;
        s.connected += p.connected;
        s.published += p.published;
        s.droppedOffline += p.droppedOffline;
        s.drops += p.drops;
        s.authFailures += p.authFailures;
        s.plansReceived += p.plansReceived;
      }
      return s;
    },
    async stop() {
      await Promise.all(
        children.map(
          (child) =>
            new Promise<void>((resolve) => {
              if (!child.connected) return resolve();
              const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
              child.once('exit', () => {
                clearTimeout(kill);
                resolve();
              });
              child.send({ type: 'stop' } satisfies ToShard);
            }),
        ),
      );
    },
  };
}

function emptyStats(): FleetStats {
  return {
    devices: 0,
    connected: 0,
    published: 0,
    droppedOffline: 0,
    drops: 0,
    authFailures: 0,
    plansReceived: 0,
  };
}
