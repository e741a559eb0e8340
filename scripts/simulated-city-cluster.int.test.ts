import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { influxQuery } from '../ingest/test-influx.ts';
import { loadConfig } from './config.ts';
import { freePort } from './lib/influxd.ts';
import { type RunningPlatform, startPlatform } from './platform.ts';

// `npm start` with BROKER_PROCESSES=2: the simulated district's devices spread over two broker
// workers, the control loop and the dashboard feed in the primary, a local influxd.

let dir: string;
let platform: RunningPlatform;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sim-cluster-'));
  platform = await startPlatform(
    loadConfig({
      DATA_DIR: dir,
      HTTP_PORT: String(await freePort()),
      MQTT_PORT: String(await freePort()),
      MQTT_WS_PORT: String(await freePort()),
      INFLUX_PORT: String(await freePort()),
      SIM_INTERSECTIONS: '9',
      SIM_SPEED: '5',
      CONTROLLER: 'adaptive',
      LOG_LEVEL: 'warn',
      BROKER_PROCESSES: '2',
    }),
    { logger: pino({ level: 'silent' }) },
  );
});
afterAll(async () => {
  await platform?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const q = (s: string) => influxQuery(platform.influx.url, platform.influx.db, s);

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

  it('feeds the control loop from both workers, and its plans reach signals on both', async () => {
    // Signals report the plan source they run: adaptive ones got a control-loop plan through the
    // primary. With devices dealt round-robin, signals sit on both workers; all must get there.
    const intersections = platform.network.intersections.length;
    const deadline = Date.now() + 100_000;
    let adaptive = 0;
    while (Date.now() < deadline) {
      const rows = await q(
        `SELECT last(source) AS source FROM signal_state WHERE time > now() - 20s GROUP BY device`,
      );
      adaptive = rows.filter((r) => r.source === 'adaptive').length;
      if (adaptive === intersections) break;
      await sleep(1000);
    }
    expect(adaptive).toBe(intersections);
  });
});
