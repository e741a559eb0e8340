import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { type Logger, pino } from 'pino';
import { collectDefaultMetrics, Registry as MetricsRegistry } from 'prom-client';
import { createBroker } from '../broker/create-broker.ts';
import { Registry } from '../broker/registry.ts';
import { createIngest, type IngestStatus } from '../ingest/create-ingest.ts';
import type { InfluxTarget } from '../ingest/influx-writer.ts';
import type { PlatformConfig } from './config.ts';
import { ensureInfluxd, type Influxd, startInfluxd } from './lib/influxd.ts';
import { registerOpsRoutes } from './ops-routes.ts';
import { ensureServiceAccount, type ServiceCredentials } from './service-accounts.ts';

export interface RunningPlatform {
  readonly config: PlatformConfig;
  readonly mqttUrl: string;
  readonly mqttWsUrl: string | null;
  readonly httpUrl: string;
  readonly influx: InfluxTarget;
  readonly registry: Registry;
  readonly http: FastifyInstance;
  readonly metrics: MetricsRegistry;
  readonly logger: Logger;
  readonly services: { readonly control: ServiceCredentials; readonly dashboard: ServiceCredentials };
  ingestStatus(): IngestStatus;
  /** SIGTERM path: stop accepting, tell clients, flush or spool what is pending, stop InfluxDB we started. */
  stop(): Promise<void>;
}

export interface PlatformOptions {
  readonly logger?: Logger;
  /** Starts the HTTP server too (tests of the MQTT path may skip it). Default true. */
  readonly http?: boolean;
}

/**
 * Broker, ingest and the HTTP server in one process, with a local InfluxDB when no INFLUX_URL is
 * configured. Order matters: the spool opens before the broker listens, so nothing is ever
 * acknowledged that has nowhere durable to go; on stop the broker closes first, then ingest.
 */
export async function startPlatform(
  config: PlatformConfig,
  opts: PlatformOptions = {},
): Promise<RunningPlatform> {
  const logger = opts.logger ?? pino({ level: config.logLevel });
  mkdirSync(config.dataDir, { recursive: true });
  const stops: Array<() => Promise<void> | void> = [];
  const stopAll = async () => {
    for (const stop of stops.splice(0).reverse()) {
      try {
        await stop();
      } catch (err) {
        logger.error({ err }, 'error while stopping');
      }
    }
  };

  try {
    let influxd: Influxd | null = null;
    let influx: InfluxTarget;
    if (config.influx.url === null) {
      ensureInfluxd();
      influxd = await startInfluxd({
        port: config.influx.localPort,
        dataDir: join(config.dataDir, 'influxdb'),
        db: config.influx.db,
      });
      stops.push(() => influxd?.stop());
      influx = { url: influxd.url, api: 'v1', db: config.influx.db };
    } else {
      const { url, localPort: _p, ...rest } = config.influx;
      influx = { url, ...rest };
    }

    const metrics = new MetricsRegistry();
    collectDefaultMetrics({ register: metrics });
    const registry = Registry.open(join(config.dataDir, 'registry.sqlite'));
    stops.push(() => registry.close());

    const ingest = createIngest({
      journalPath: join(config.dataDir, 'spool.sqlite'),
      influx,
      metrics,
      logger: logger.child({ svc: 'ingest' }),
    });
    ingest.start();
    stops.push(() => ingest.stop());

    const broker = createBroker({ registry, sink: ingest, logger: logger.child({ svc: 'broker' }), metrics });
    const ports = await broker.listen({
      host: config.bindHost,
      tcpPort: config.mqtt.port,
      wsPort: config.mqtt.wsPort,
      ...(config.mqtt.tls ? { tls: config.mqtt.tls } : {}),
    });
    stops.push(() => broker.close());
    const mqttUrl = `mqtt://${hostForUrl(config.bindHost)}:${ports.tcpPort}`;

    const servicesFile = join(config.dataDir, 'service-accounts.json');
    const services = {
      control: await ensureServiceAccount(registry, servicesFile, 'control', [
        'plan:publish',
        'telemetry:subscribe',
      ]),
      dashboard: await ensureServiceAccount(registry, servicesFile, 'dashboard', [
        'plan:publish',
        'telemetry:subscribe',
      ]),
    };

    // Requests are not logged one by one (scrapes and polling would drown the log); errors are.
    const httpLogger: FastifyBaseLogger = logger.child({ svc: 'http' }, { level: 'warn' });
    const http: FastifyInstance = Fastify({ loggerInstance: httpLogger });
    registerOpsRoutes(http, {
      metrics,
      metricsPublic: config.metricsPublic,
      readiness: [
        { name: 'broker', check: () => ({ ok: true, detail: `mqtt :${ports.tcpPort}` }) },
        {
          name: 'influxdb',
          // Ready while spooling: acknowledgements stay durable, the spool replays later.
          check: () => {
            const s = ingest.status();
            return s.influxReachable
              ? { ok: true }
              : {
                  ok: true,
                  detail: `unreachable, spooling (${s.spoolDepth} lines)${s.lastError ? `: ${s.lastError}` : ''}`,
                };
          },
        },
      ],
    });
    let httpUrl = '';
    if (opts.http !== false) {
      await http.listen({ port: config.httpPort, host: config.bindHost });
      const addr = http.server.address();
      const httpPort = typeof addr === 'object' && addr !== null ? addr.port : config.httpPort;
      httpUrl = `http://${hostForUrl(config.bindHost)}:${httpPort}`;
    }
    stops.push(() => http.close());

    return {
      config,
      mqttUrl,
      mqttWsUrl:
        ports.wsPort === undefined ? null : `ws://${hostForUrl(config.bindHost)}:${ports.wsPort}/mqtt`,
      httpUrl,
      influx,
      registry,
      http,
      metrics,
      logger,
      services,
      ingestStatus: () => ingest.status(),
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

function hostForUrl(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}
