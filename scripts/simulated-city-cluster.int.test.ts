import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningPlatform } from './platform.ts';
import { type SimulatedTestPlatform, startSimulatedTestPlatform } from './testing/test-platform.ts';

// `npm start` with BROKER_PROCESSES=2: the simulated district's devices spread over two broker
// workers, the control loop and the dashboard feed in the primary, a local influxd.

let sim: SimulatedTestPlatform;
let platform: RunningPlatform;

beforeAll(async () => {
  sim = await startSimulatedTestPlatform({ BROKER_PROCESSES: '2' });
  platform = sim.platform;
});
afterAll(async () => {
  await sim?.stop();
});

const q = (s: string) => sim.q(s);

describe('npm start with BROKER_PROCESSES=2', () => {
  it('spreads the simulated devices over both workers and stores their readings', async () => {
    const workers = () => platform.brokerCluster?.workers() ?? [];
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline && !workers().every((w) => (w.status?.connected ?? 0) > 5)) await sleep(500);
    expect(workers().map((w) => (w.status?.connected ?? 0) > 5)).toEqual([true, true]);

    const intersections = platform.network.intersections.length;
    let states: string[] = [];
    while (Date.now() < deadline + 40_000) {
      states = (await q('SHOW TAG VALUES FROM signal_state WITH KEY = "device"')).map((r) => String(r.value));
      if (states.length === intersections) break;
      await sleep(1000);
    }
    expect(states).toHaveLength(intersections);
    expect(await q('SELECT count(*) FROM ingest_rejects')).toEqual([]);
  });

  it('runs the control loop on the workers forwarded counts, and the signals on its plans', async () => {
    // The loop decides from camera counts that reach the primary only through the workers'
    // forwarding; its plans are stored once in the primary's spool, then sent to every worker.
    // (Which signals run adaptive at a given moment is the simulator's and controller's business —
    // the single-process run shows the same mix; cross-worker delivery is tested deterministically
    // in platform-cluster.int.test.ts.)
    const intersections = platform.network.intersections.length;
    const deadline = Date.now() + 100_000;
    let planned = 0;
    let adaptive = 0;
    while (Date.now() < deadline) {
      planned = (await q('SHOW TAG VALUES FROM signal_plan WITH KEY = "device"')).length;
      const rows = await q(
        `SELECT last(source) AS source FROM signal_state WHERE time > now() - 20s GROUP BY device`,
      );
      adaptive = rows.filter((r) => r.source === 'adaptive').length;
      if (planned === intersections && adaptive > 0) break;
      await sleep(1000);
    }
    expect(planned).toBe(intersections);
    expect(adaptive).toBeGreaterThan(0);
  });
});
