import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { z } from 'zod';
import { Registry } from '../broker/index.ts';
import { enforceEnvelope } from '../control/index.ts';
import { CityNetwork } from '../protocol/network.ts';
import { buildDashboard } from './server/build-dashboard.ts';
import { systemClock } from './server/clock.ts';
import { ensureAdmin } from './server/ensure-admin.ts';
import { LiveState } from './server/live/live-state.ts';
import { connectDashboardMqtt } from './server/live/mqtt-feed.ts';

/**
 * The dashboard on its own (`tsx dashboard/main.ts`), next to a running broker and InfluxDB: the
 * platform (`npm start`) composes the same parts in one process. Settings are read once here.
 */
const Env = z.object({
  DATA_DIR: z.string().min(1).default('.data'),
  BIND_HOST: z.string().min(1).default('127.0.0.1'),
  HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  MQTT_URL: z.string().min(1).default('mqtt://127.0.0.1:1883'),
  INFLUX_URL: z.url().default('http://127.0.0.1:8086'),
  INFLUX_DB: z.string().min(1).default('city'),
  INFLUX_USERNAME: z.string().min(1).optional(),
  INFLUX_PASSWORD: z.string().min(1).optional(),
  UTC_OFFSET_MIN: z.coerce.number().int().min(-720).max(840).default(180),
  /** A local PMTiles file drawn under the live layers (optional). */
  BASEMAP_PMTILES: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
});

/** A secret kept in a 0600 file under DATA_DIR, made on first use. */
function fileSecret(path: string, make: () => string): string {
  if (existsSync(path)) return readFileSync(path, 'utf8').trim();
  const value = make();
  writeFileSync(path, `${value}\n`, { mode: 0o600 });
  return value;
}

/**
 * The dashboard's MQTT service account. Registry ids are never reused, so when the credentials
 * file is lost a new account with a fresh id is made.
 */
async function serviceAccount(registry: Registry, dataDir: string): Promise<{ id: string; secret: string }> {
  const path = join(dataDir, 'dashboard-service.json');
  if (existsSync(path)) return JSON.parse(readFileSync(path, 'utf8')) as { id: string; secret: string };
  const id = `dashboard-${randomBytes(4).toString('hex')}`;
  const creds = await registry.addService(id, ['telemetry:subscribe', 'plan:publish']);
  writeFileSync(path, JSON.stringify(creds), { mode: 0o600 });
  return creds;
}

export async function main(env: NodeJS.ProcessEnv = process.env): Promise<() => Promise<void>> {
  const cfg = Object.freeze(Env.parse(env));
  const dataDir = resolve(cfg.DATA_DIR);
  mkdirSync(dataDir, { recursive: true });
  const logger = pino({ level: cfg.LOG_LEVEL });
  const network = CityNetwork.parse(JSON.parse(readFileSync(join(dataDir, 'network.json'), 'utf8')));
  const registry = Registry.open(join(dataDir, 'registry.sqlite'));
  await ensureAdmin(registry);
  const account = await serviceAccount(registry, dataDir);
  const live = new LiveState(network, { meterRules: { utcOffsetMin: cfg.UTC_OFFSET_MIN } });
  const mqtt = connectDashboardMqtt({ url: cfg.MQTT_URL, ...account, live, clock: systemClock, logger });
  const app = await buildDashboard({
    registry,
    network,
    influx: {
      url: cfg.INFLUX_URL,
      db: cfg.INFLUX_DB,
      username: cfg.INFLUX_USERNAME,
      password: cfg.INFLUX_PASSWORD,
    },
    live,
    auditDbPath: join(dataDir, 'audit.sqlite'),
    sessionDbPath: join(dataDir, 'sessions.sqlite'),
    publishPlan: (id, plan) => mqtt.publishPlan(id, plan),
    envelope: enforceEnvelope,
    clock: systemClock,
    logger,
    cookieSecret: fileSecret(join(dataDir, 'dashboard-cookie.key'), () =>
      randomBytes(32).toString('base64url'),
    ),
    staticDir: fileURLToPath(new URL('./web/dist', import.meta.url)),
    utcOffsetMin: cfg.UTC_OFFSET_MIN,
    basemapPmtiles: cfg.BASEMAP_PMTILES ? resolve(cfg.BASEMAP_PMTILES) : null,
  });
  await app.listen({ port: cfg.HTTP_PORT, host: cfg.BIND_HOST });
  return async () => {
    await app.close();
    await mqtt.close();
    registry.close();
  };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const stop = await main();
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      void stop().then(() => process.exit(0));
    });
  }
}
