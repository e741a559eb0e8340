import { fileURLToPath } from 'node:url';
import mqtt from 'mqtt';
import type { LatencySummary } from '../lib/percentiles.ts';
import type { Fleet } from '../load/fleet.ts';
import { FleetRun } from '../load/run-fleet.ts';
import { spawnTarget } from '../target/spawn-target.ts';
import { runWindow } from './run-window.ts';

export interface AedesBaselineResult {
  readonly msgsPerSec: number;
  readonly ackLatencyMs: LatencySummary;
  /** Messages a `city/#` subscriber received per second over the window. */
  readonly deliveredPerSec: number;
  readonly acked: number;
  readonly delivered: number;
}

const TARGET = fileURLToPath(new URL('../target/bare-aedes.ts', import.meta.url));

/**
 * Baseline: bare aedes (defaults, no auth, no ingest) in its own process, driven by the same
 * generator and fleet shape as the platform, with one subscriber on `city/#`.
 */
export async function aedesBaseline(opts: {
  fleet: Fleet;
  qos: 0 | 1;
  /** `closed`: every connection keeps `window` in flight; `schedule`: open loop at the fleet's rate. */
  mode?: 'closed' | 'schedule';
  window?: number;
  maxInflight?: number;
  rampPerSec: number;
  warmupS: number;
  seconds: number;
  children?: number;
}): Promise<AedesBaselineResult> {
  const target = await spawnTarget<{ mqttPort: number }>(TARGET);
  const url = `mqtt://127.0.0.1:${target.info.mqttPort}`;
  const sub = await mqtt.connectAsync(url, { clientId: 'bench-subscriber', clean: true, reconnectPeriod: 0 });
  let delivered = 0;
  sub.on('message', () => {
    delivered++;
  });
  await sub.subscribeAsync('city/#', { qos: opts.qos });
  try {
    const run = await FleetRun.connect({
      url,
      fleet: opts.fleet,
      secretOf: () => '',
      mode: opts.mode ?? 'closed',
      rampPerSec: opts.rampPerSec,
      ...(opts.window === undefined ? {} : { window: opts.window }),
      ...(opts.maxInflight === undefined ? {} : { maxInflight: opts.maxInflight }),
      ...(opts.children === undefined ? {} : { children: opts.children }),
    });
    let deliveredAtStart = 0;
    let deliveredAtEnd = 0;
    let seconds = 0;
    const w = await runWindow(run, {
      warmupS: opts.warmupS,
      seconds: opts.seconds,
      onSecond: () => {
        if (seconds === 0) deliveredAtStart = delivered;
        seconds++;
        deliveredAtEnd = delivered;
      },
    });
    await run.close();
    return {
      msgsPerSec: w.ackedPerSec,
      ackLatencyMs: w.latency,
      deliveredPerSec: seconds > 1 ? (deliveredAtEnd - deliveredAtStart) / (seconds - 1) : 0,
      acked: w.totals.acked,
      delivered,
    };
  } finally {
    await sub.endAsync(true);
    await target.stop();
  }
}
