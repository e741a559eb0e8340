import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { loadConfig } from '../../scripts/config.ts';
import { freePort } from '../../scripts/lib/influxd.ts';
import { type RunningPlatform, startPlatform } from '../../scripts/platform.ts';
import { buildWeb } from '../web/build.ts';

export interface Credentials {
  readonly name: string;
  readonly password: string;
}

export interface TestCity {
  readonly baseUrl: string;
  readonly platform: RunningPlatform;
  readonly users: {
    readonly admin: Credentials;
    readonly operator: Credentials;
    readonly viewer: Credentials;
  };
  stop(): Promise<void>;
}

export interface TestCityOptions {
  /** Intersections of the simulated city (small keeps Chromium and the simulator light). */
  readonly intersections?: number;
  readonly seed?: number;
}

/**
 * The whole platform with the simulated city, as `npm start` runs it, on free ports with a
 * throw-away data directory (its own influxd included), plus one operator account per role.
 */
export async function startTestCity(opts: TestCityOptions = {}): Promise<TestCity> {
  await buildWeb();
  const dataDir = mkdtempSync(join(tmpdir(), 'dash-e2e-'));
  const config = loadConfig({
    DATA_DIR: dataDir,
    BIND_HOST: '127.0.0.1',
    HTTP_PORT: String(await freePort()),
    MQTT_PORT: String(await freePort()),
    MQTT_WS_PORT: String(await freePort()),
    INFLUX_PORT: String(await freePort()),
    SIMULATE: 'on',
    SIM_INTERSECTIONS: String(opts.intersections ?? 9),
    SIM_SEED: String(opts.seed ?? 7),
    CONTROL: 'on',
    LOG_LEVEL: 'warn',
  });
  let platform: RunningPlatform;
  try {
    platform = await startPlatform(config, { logger: pino({ level: 'warn' }) });
  } catch (err) {
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  const users = {
    admin: await platform.registry.addOperator('e2e-admin', 'admin'),
    operator: await platform.registry.addOperator('e2e-operator', 'operator'),
    viewer: await platform.registry.addOperator('e2e-viewer', 'viewer'),
  };
  return {
    baseUrl: platform.httpUrl,
    platform,
    users,
    async stop() {
      await platform.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
