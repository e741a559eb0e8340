import { performance } from 'node:perf_hooks';
import { LatencyHistogram } from '../lib/percentiles.ts';
import { type Fleet, fleetOf } from '../load/fleet.ts';
import { type Profile, profileRates } from '../load/profiles.ts';
import { FleetRun } from '../load/run-fleet.ts';
import type { ProfileFigure } from '../report/results.ts';
import { startPlatformSession } from '../target/platform-session.ts';
import { countPoints, createDatabase } from './influx.ts';
import { PROBE_CAMERA, startQueryableProbe } from './queryable-probe.ts';
import { runWindow } from './run-window.ts';

/**
 * A named profile against the platform: the fleet opens at the profile's ramp, publishes on its
 * device schedules (open loop) while a probe measures publish → queryable, then everything
 * acknowledged is counted in InfluxDB.
 */
export async function profileRun(opts: {
  profile: Profile;
  influxUrl: string;
  db: string;
  warmupS?: number;
  note?: string;
}): Promise<ProfileFigure> {
  const fleet: Fleet = fleetOf(opts.profile);
  const rates = profileRates(opts.profile);
  await createDatabase(opts.influxUrl, opts.db);
  const session = await startPlatformSession({
    influxUrl: opts.influxUrl,
    db: opts.db,
    specs: [...fleet.specs, PROBE_CAMERA],
  });
  let peakRss = 0;
  let probeError: string | undefined;
  try {
    const c0 = performance.now();
    const run = await FleetRun.connect({
      url: session.url,
      fleet,
      secretOf: session.secretOf,
      mode: 'schedule',
      rampPerSec: opts.profile.rampPerSec,
      maxInflight: 100,
    });
    const connectSeconds = (performance.now() - c0) / 1000;
    const probe = await startQueryableProbe({
      mqttUrl: session.url,
      secret: session.secretOf(PROBE_CAMERA.id),
      influxUrl: opts.influxUrl,
      db: opts.db,
    }).catch((err: unknown) => {
      probeError = err instanceof Error ? err.message : String(err);
      return null;
    });
    const w = await runWindow(run, {
      warmupS: opts.warmupS ?? 5,
      seconds: opts.profile.durationS,
      onSecond: async () => {
        if (session.target.alive()) peakRss = Math.max(peakRss, await session.target.rss());
      },
    });
    const probed = probe
      ? await probe.stop()
      : { queryable: new LatencyHistogram(), ack: new LatencyHistogram(), neverSeen: 0 };
    await run.close();
    if (session.target.alive()) await session.waitDrained();
    const stored = await countPoints(opts.influxUrl, opts.db);
    // The probe's own counts are stored too; they were acknowledged to the probe.
    const acked = w.totals.readingsAcked + probed.ack.count;
    return {
      profile: opts.profile.name,
      connections: rates.connections,
      offeredMsgsPerSec: rates.messagesPerSec,
      offeredReadingsPerSec: rates.readingsPerSec,
      achievedMsgsPerSec: w.ackedPerSec,
      achievedReadingsPerSec: w.readingsPerSec,
      ackLatencyMs: w.latency,
      queryableLatencyMs: probed.queryable.summary(),
      lost: Math.max(0, acked - stored.readings),
      connectFailed: w.totals.connectFailed,
      connectSeconds,
      skipped: w.totals.skipped,
      platformPeakRssMb: peakRss / 2 ** 20,
      seconds: w.seconds,
      ...(opts.note || probeError || w.totals.firstError
        ? {
            note: [
              opts.note,
              probeError && `queryable probe failed: ${probeError}`,
              w.totals.firstError && `first client error: ${w.totals.firstError}`,
            ]
              .filter(Boolean)
              .join(' '),
          }
        : {}),
    };
  } finally {
    await session.close();
  }
}
