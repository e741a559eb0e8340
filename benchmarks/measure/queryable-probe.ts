import { performance } from 'node:perf_hooks';
import mqtt from 'mqtt';
import { topics } from '../../protocol/index.ts';
import { LatencyHistogram } from '../lib/percentiles.ts';
import { cameraCounts, monotonicStamp } from '../load/payloads.ts';
import { countOf, influxQuery } from './influx.ts';

/** A camera registered only for probing, so it never competes with a fleet device's session. */
export const PROBE_CAMERA = {
  id: 'probe-cam',
  type: 'camera',
  intersectionId: 'X00001',
  approach: 'N',
} as const;

/**
 * Publish → queryable latency: while the load runs, one extra camera publishes a count every
 * `everyMs` and polls InfluxDB for exactly that point (device tag + timestamp) until an InfluxQL
 * query returns it. Resolution is the poll interval (`pollMs`).
 */
export async function startQueryableProbe(opts: {
  mqttUrl: string;
  secret: string;
  influxUrl: string;
  db: string;
  everyMs?: number;
  pollMs?: number;
  giveUpMs?: number;
}): Promise<{ stop(): Promise<{ queryable: LatencyHistogram; ack: LatencyHistogram; neverSeen: number }> }> {
  // A broker out of file descriptors never accepts the probe: its CONNACK never comes, and
  // connectAsync would wait forever (it settles on connect or error, not on close).
  const client = mqtt.connect(opts.mqttUrl, {
    clientId: PROBE_CAMERA.id,
    username: PROBE_CAMERA.id,
    password: opts.secret,
    reconnectPeriod: 0,
    connectTimeout: 20_000,
    clean: true,
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('probe: no CONNACK within 30 s')), 30_000);
    client.once('connect', () => {
      clearTimeout(timer);
      resolve();
    });
    client.once('close', () => {
      clearTimeout(timer);
      reject(new Error('probe: connection closed before CONNACK'));
    });
  }).catch(async (err: unknown) => {
    await client.endAsync(true);
    throw err;
  });
  const queryable = new LatencyHistogram();
  const ack = new LatencyHistogram();
  const stamp = monotonicStamp();
  const pollMs = opts.pollMs ?? 20;
  const giveUpMs = opts.giveUpMs ?? 30_000;
  let neverSeen = 0;
  let seq = 0;
  const pending = new Set<Promise<void>>();
  const probeOnce = async () => {
    const ts = stamp(Date.now());
    const t0 = performance.now();
    await client.publishAsync(
      topics.cameraCounts.of(PROBE_CAMERA.id),
      JSON.stringify(cameraCounts(ts, seq++, 1)),
      {
        qos: 1,
      },
    );
    ack.record(performance.now() - t0);
    const q = `SELECT count("intensity") FROM "traffic_counts" WHERE "device" = '${PROBE_CAMERA.id}' AND time = ${ts}ms`;
    while (performance.now() - t0 < giveUpMs) {
      if (countOf(await influxQuery(opts.influxUrl, opts.db, q)) > 0) {
        queryable.record(performance.now() - t0);
        return;
      }
      await new Promise((r) => setTimeout(r, pollMs));
    }
    neverSeen++;
  };
  const timer = setInterval(() => {
    const p = probeOnce().catch(() => {
      neverSeen++;
    });
    pending.add(p);
    void p.finally(() => pending.delete(p));
  }, opts.everyMs ?? 250);
  return {
    async stop() {
      clearInterval(timer);
      await Promise.all(pending);
      await client.endAsync(true);
      return { queryable, ack, neverSeen };
    },
  };
}
