import { resolve } from 'node:path';
import { z } from 'zod';

const bool = z
  .enum(['on', 'off', 'true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'on' || v === 'true' || v === '1' || v === 'yes');
const port = z.coerce.number().int().min(0).max(65535);

/**
 * Every setting of `npm start`, read once from the environment and frozen. Nothing else in the
 * platform reads process.env: each part is handed the slice it needs.
 */
const PlatformEnv = z.object({
  DATA_DIR: z.string().min(1).default('.data'),
  BIND_HOST: z.string().min(1).default('127.0.0.1'),
  MQTT_PORT: port.default(1883),
  MQTT_WS_PORT: port.default(8083),
  MQTT_TLS_PORT: port.default(8883),
  TLS_CERT: z.string().min(1).optional(),
  TLS_KEY: z.string().min(1).optional(),
  MQTT_CONCURRENCY: z.coerce.number().int().min(1).max(1_000_000).default(100),
  // One process may hold 20,000 open files here (ulimit -Hn): about 19,950 device sockets.
  BROKER_PROCESSES: z.coerce.number().int().min(1).max(64).default(1),
  HTTP_PORT: port.default(8080),
  METRICS: z.enum(['public', 'off']).default('public'),
  INFLUX_URL: z.url().optional(),
  INFLUX_PORT: port.default(8086),
  INFLUX_API: z.enum(['v1', 'v2']).default('v1'),
  INFLUX_DB: z.string().min(1).default('city'),
  INFLUX_RP: z.string().min(1).optional(),
  INFLUX_ORG: z.string().min(1).optional(),
  INFLUX_BUCKET: z.string().min(1).optional(),
  INFLUX_TOKEN: z.string().min(1).optional(),
  INFLUX_USERNAME: z.string().min(1).optional(),
  INFLUX_PASSWORD: z.string().min(1).optional(),
  NETWORK_FILE: z.string().min(1).optional(),
  /** A local PMTiles archive drawn under the city layers (raster or vector); none by default. */
  BASEMAP_PMTILES: z.string().min(1).optional(),
  SIMULATE: bool.default(true),
  SIM_INTERSECTIONS: z.coerce.number().int().min(1).max(4000).default(100),
  SIM_SEED: z.coerce.number().int().default(1),
  SIM_SPEED: z.coerce.number().positive().max(100).default(1),
  CONTROLLER: z.enum(['fixed', 'webster', 'actuated', 'adaptive']).default('adaptive'),
  CONTROL: bool.default(true),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
});

export interface PlatformConfig {
  readonly dataDir: string;
  readonly bindHost: string;
  readonly mqtt: {
    /** Broker processes; above 1 the MQTT ports are shared by that many workers (broker/cluster). */
    readonly processes: number;
    readonly concurrency: number;
    readonly port: number;
    readonly wsPort: number;
    readonly tls: { port: number; cert: string; key: string } | null;
  };
  readonly httpPort: number;
  readonly metricsPublic: boolean;
  readonly influx: {
    /** null: start a local influxd on `localPort` with its data under dataDir. */
    readonly url: string | null;
    readonly localPort: number;
    readonly api: 'v1' | 'v2';
    readonly db: string;
    readonly rp?: string;
    readonly org?: string;
    readonly bucket?: string;
    readonly token?: string;
    readonly username?: string;
    readonly password?: string;
  };
  /** A city's own network file; null: the generated demo district (SIM_INTERSECTIONS, SIM_SEED). */
  readonly networkFile: string | null;
  /** Absolute path of the optional PMTiles basemap. */
  readonly basemapPmtiles: string | null;
  readonly simulate: {
    readonly enabled: boolean;
    readonly intersections: number;
    readonly seed: number;
    readonly speed: number;
  };
  readonly control: {
    readonly enabled: boolean;
    readonly controller: 'fixed' | 'webster' | 'actuated' | 'adaptive';
  };
  readonly logLevel: string;
}

/** Parses the environment; throws one readable error naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): PlatformConfig {
  const parsed = PlatformEnv.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  if ((e.TLS_CERT === undefined) !== (e.TLS_KEY === undefined)) {
    throw new Error('invalid configuration:\n  TLS_CERT and TLS_KEY must be set together');
  }
  if (e.INFLUX_API === 'v2' && e.INFLUX_URL !== undefined && (!e.INFLUX_ORG || !e.INFLUX_BUCKET)) {
    throw new Error(
      'invalid configuration:\n  INFLUX_API=v2 needs INFLUX_ORG and INFLUX_BUCKET (and usually INFLUX_TOKEN)',
    );
  }
  return Object.freeze({
    dataDir: resolve(e.DATA_DIR),
    bindHost: e.BIND_HOST,
    mqtt: {
      processes: e.BROKER_PROCESSES,
      concurrency: e.MQTT_CONCURRENCY,
      port: e.MQTT_PORT,
      wsPort: e.MQTT_WS_PORT,
      tls: e.TLS_CERT && e.TLS_KEY ? { port: e.MQTT_TLS_PORT, cert: e.TLS_CERT, key: e.TLS_KEY } : null,
    },
    httpPort: e.HTTP_PORT,
    metricsPublic: e.METRICS === 'public',
    influx: {
      url: e.INFLUX_URL ?? null,
      localPort: e.INFLUX_PORT,
      api: e.INFLUX_URL ? e.INFLUX_API : 'v1',
      db: e.INFLUX_DB,
      rp: e.INFLUX_RP,
      org: e.INFLUX_ORG,
      bucket: e.INFLUX_BUCKET,
      token: e.INFLUX_TOKEN,
      username: e.INFLUX_USERNAME,
      password: e.INFLUX_PASSWORD,
    },
    networkFile: e.NETWORK_FILE === undefined ? null : resolve(e.NETWORK_FILE),
    basemapPmtiles: e.BASEMAP_PMTILES === undefined ? null : resolve(e.BASEMAP_PMTILES),
    simulate: {
      enabled: e.SIMULATE,
      intersections: e.SIM_INTERSECTIONS,
      seed: e.SIM_SEED,
      speed: e.SIM_SPEED,
    },
    control: { enabled: e.CONTROL, controller: e.CONTROLLER },
    logLevel: e.LOG_LEVEL,
  });
}
