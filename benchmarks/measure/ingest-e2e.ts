import type { LatencySummary } from '../lib/percentiles.ts';
import type { Fleet } from '../load/fleet.ts';
import { FleetRun } from '../load/run-fleet.ts';
import type { CpuProfile } from '../report/cpu-profile.ts';
import { startPlatformSession } from '../target/platform-session.ts';
import { countPoints, createDatabase, type PointCounts } from './influx.ts';
import { runWindow } from './run-window.ts';

export interface IngestResult {
  readonly msgsPerSec: number;
  readonly readingsPerSec: number;
  readonly ackLatencyMs: LatencySummary;
  /** Messages the devices saw acknowledged (QoS 0: written to the socket). */
  readonly acked: number;
  readonly readingsAcked: number;
  readonly stored: PointCounts;
  /** Acknowledged readings missing from InfluxDB after the drain (must be 0 at QoS 1). */
  readonly lost: number;
  readonly drained: boolean;
  readonly connectFailed: number;
  readonly closedUnexpectedly: number;
  readonly errors: number;
  readonly skipped: number;
  readonly platformAlive: boolean;
  readonly platformPeakRssMb: number;
  readonly series: readonly number[];
  readonly firstError?: string;
  readonly cpuProfile?: CpuProfile;
}

/**
 * Sustained end-to-end ingest: a fleet publishes through the real broker and ingest into a fresh
 * InfluxDB database; afterwards the acknowledged readings are compared with an exact InfluxQL
 * count of what was stored.
 */
export async function ingestEndToEnd(opts: {
  influxUrl: string;
  db: string;
  fleet: Fleet;
  mode: 'closed' | 'schedule';
  window?: number;
  maxInflight?: number;
  rampPerSec: number;
  warmupS: number;
  seconds: number;
  children?: number;
  /** Profile the platform process over the measured window. */
  profile?: boolean;
}): Promise<IngestResult> {
  await createDatabase(opts.influxUrl, opts.db);
  const session = await startPlatformSession({
    influxUrl: opts.influxUrl,
    db: opts.db,
    specs: opts.fleet.specs,
  });
  let peakRss = await session.target.rss();
  let cpuProfile: CpuProfile | undefined;
  try {
    const run = await FleetRun.connect({
      url: session.url,
      fleet: opts.fleet,
      secretOf: session.secretOf,
      mode: opts.mode,
      rampPerSec: opts.rampPerSec,
      ...(opts.window === undefined ? {} : { window: opts.window }),
      ...(opts.maxInflight === undefined ? {} : { maxInflight: opts.maxInflight }),
      ...(opts.children === undefined ? {} : { children: opts.children }),
    });
    const w = await runWindow(run, {
      warmupS: opts.warmupS,
      seconds: opts.seconds,
      onSecond: async () => {
        if (session.target.alive()) peakRss = Math.max(peakRss, await session.target.rss());
      },
      onWindow: async (phase) => {
        if (!opts.profile || !session.target.alive()) return;
        if (phase === 'start') await session.profileStart();
        else cpuProfile = await session.profileStop();
      },
    });
    await run.close();
    const platformAlive = session.target.alive();
    const drained = platformAlive ? await session.waitDrained() : false;
    const stored = await countPoints(opts.influxUrl, opts.db);
    return {
      msgsPerSec: w.ackedPerSec,
      readingsPerSec: w.readingsPerSec,
      ackLatencyMs: w.latency,
      acked: w.totals.acked,
      readingsAcked: w.totals.readingsAcked,
      stored,
      lost: Math.max(0, w.totals.readingsAcked - stored.readings),
      drained,
      connectFailed: w.totals.connectFailed,
      closedUnexpectedly: w.totals.closedUnexpectedly,
      errors: w.totals.errors,
      skipped: w.totals.skipped,
      platformAlive,
      platformPeakRssMb: peakRss / 2 ** 20,
      series: w.series,
      ...(w.totals.firstError ? { firstError: w.totals.firstError } : {}),
      ...(cpuProfile ? { cpuProfile } : {}),
    };
  } finally {
    await session.close();
  }
}
