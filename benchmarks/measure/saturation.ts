import { cameraFleet } from '../load/fleet.ts';
import { FleetRun } from '../load/run-fleet.ts';
import { sweepSteps } from '../load/schedule.ts';
import type { SaturationStep } from '../report/results.ts';
import { startPlatformSession } from '../target/platform-session.ts';
import { countPoints, createDatabase } from './influx.ts';
import { runWindow } from './run-window.ts';

/**
 * Offered load vs achieved throughput up to and past the knee: open-loop camera fleets at
 * fractions of the measured capacity, one platform for all steps. After each step the spool is
 * drained and the stored count compared with what that step had acknowledged (lost must be 0),
 * and the platform must still be alive.
 */
export async function saturationSweep(opts: {
  influxUrl: string;
  db: string;
  capacityMsgsPerSec: number;
  fractions: readonly number[];
  cameras: number;
  warmupS: number;
  seconds: number;
  maxInflight: number;
}): Promise<SaturationStep[]> {
  await createDatabase(opts.influxUrl, opts.db);
  const specs = cameraFleet(opts.cameras, 1, 1).specs;
  const session = await startPlatformSession({ influxUrl: opts.influxUrl, db: opts.db, specs });
  const steps: SaturationStep[] = [];
  try {
    let storedBefore = 0;
    for (const offered of sweepSteps(opts.capacityMsgsPerSec, opts.fractions)) {
      if (!session.target.alive()) break;
      const run = await FleetRun.connect({
        url: session.url,
        fleet: cameraFleet(opts.cameras, offered, 1),
        secretOf: session.secretOf,
        mode: 'schedule',
        rampPerSec: 2000,
        maxInflight: opts.maxInflight,
        children: 1,
      });
      let rss = 0;
      const w = await runWindow(run, {
        warmupS: opts.warmupS,
        seconds: opts.seconds,
        onSecond: async () => {
          if (session.target.alive()) rss = Math.max(rss, await session.target.rss());
        },
      });
      await run.close();
      const alive = session.target.alive();
      if (alive) await session.waitDrained();
      const stored = (await countPoints(opts.influxUrl, opts.db)).readings;
      steps.push({
        offeredMsgsPerSec: offered,
        achievedMsgsPerSec: w.ackedPerSec,
        ackLatencyMs: w.latency,
        skipped: w.totals.skipped,
        lost: Math.max(0, w.totals.readingsAcked - (stored - storedBefore)),
        platformAlive: alive,
        platformRssMb: rss / 2 ** 20,
        seconds: w.seconds,
      });
      storedBefore = stored;
    }
  } finally {
    await session.close();
  }
  return steps;
}
