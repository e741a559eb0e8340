import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pino } from 'pino';
import { influxQuery } from '../../ingest/test-influx.ts';
import { loadConfig } from '../config.ts';
import { freePort } from '../lib/influxd.ts';
import { type RunningPlatform, startPlatform } from '../platform.ts';

/**
 * The environment of a platform under test against an influxd the test started: free ports, no
 * simulated city and no control loop unless `extra` says so.
 */
export async function testPlatformEnv(
  dataDir: string,
  influxUrl: string,
  extra: Record<string, string> = {},
): Promise<Record<string, string>> {
  return {
    DATA_DIR: dataDir,
    MQTT_PORT: String(await freePort()),
    MQTT_WS_PORT: String(await freePort()),
    HTTP_PORT: String(await freePort()),
    INFLUX_URL: influxUrl,
    INFLUX_DB: 'city',
    SIMULATE: 'off',
    CONTROL: 'off',
    LOG_LEVEL: 'warn',
    ...extra,
  };
}

/** Polls `ok` every 200 ms until it holds; throws naming `what` after `timeoutMs`. */
export async function until(
  what: string,
  ok: () => Promise<boolean> | boolean,
  timeoutMs = 90_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

export interface SimulatedTestPlatform {
  readonly platform: RunningPlatform;
  /** InfluxQL against the platform's own influxd. */
  q(statement: string): ReturnType<typeof influxQuery>;
  stop(): Promise<void>;
}

/**
 * `npm start` as a newcomer runs it, small and fast: the simulated 9-intersection district at five
 * city seconds per wall second (gateways, every 60 city s, report within a test), the adaptive
 * control loop and a local influxd, on free ports in a temporary data dir.
 */
export async function startSimulatedTestPlatform(
  extra: Record<string, string> = {},
): Promise<SimulatedTestPlatform> {
  const dir = mkdtempSync(join(tmpdir(), 'sim-city-'));
  const platform = await startPlatform(
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
      ...extra,
    }),
    { logger: pino({ level: 'silent' }) },
  );
  return {
    platform,
    q: (statement) => influxQuery(platform.influx.url, platform.influx.db, statement),
    async stop() {
      await platform.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
