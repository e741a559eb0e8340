import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { type Logger, pino } from 'pino';
import { collectDefaultMetrics, Registry as MetricsRegistry } from 'prom-client';
import { createBroker } from '../broker/create-broker.ts';
import { Registry } from '../broker/registry.ts';
import { enforceEnvelope } from '../control/index.ts';
import { type ControlLoop, startControlLoop } from '../control/loop/start-control-loop.ts';
import {
  buildDashboard,
  type ControlStatus,
  connectDashboardFeed,
  LiveState,
  systemClock,
} from '../dashboard/server/index.ts';
import { webDistDir } from '../dashboard/web/build.ts';
import { createIngest, type IngestStatus } from '../ingest/create-ingest.ts';
import type { InfluxTarget } from '../ingest/influx-writer.ts';
import type { CityNetwork } from '../protocol/network.ts';
import { provisionCity, type SimulatedCity, startSimulatedCity } from '../simulators/index.ts';
import type { PlatformConfig } from './config.ts';
import { ensureInfluxd, type Influxd, startInfluxd } from './lib/influxd.ts';
import { resolveNetwork } from './network-source.ts';
import { registerOpsRoutes } from './ops-routes.ts';
import { secretFromFile } from './secret-file.ts';
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
  readonly network: CityNetwork;
  readonly networkPath: string;
  readonly control: ControlLoop | null;
  readonly city: SimulatedCity | null;
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
    // The spool commits on a worker thread; the broker listens only once it can make messages durable.
    await ingest.ready();
    stops.push(() => ingest.stop());

    const broker = createBroker({
      registry,
      sink: ingest,
      logger: logger.child({ svc: 'broker' }),
      metrics,
      concurrency: config.mqtt.concurrency,
    });
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
    const { network, path: networkPath } = await resolveNetwork({
      file: config.networkFile,
      dataDir: config.dataDir,
      intersections: config.simulate.intersections,
      seed: config.simulate.seed,
    });

    // The control loop and the dashboard run in this process: they connect to the broker in-process
    // (same ACL and sink as over MQTT, without a loopback socket per message each way).
    const localBus = async (account: { id: string; secret: string }) => {
      const auth = await registry.check(account.id, account.secret);
      if (!auth.ok) throw new Error(`service account ${account.id} refused: ${auth.reason}`);
      return broker.connectLocal(auth.identity);
    };

    let control: ControlLoop | null = null;
    if (config.control.enabled) {
      const loop = startControlLoop({
        bus: await localBus(services.control),
        network,
        controller: config.control.controller,
        logger: logger.child({ svc: 'control' }),
      });
      control = loop;
      stops.push(() => loop.stop());
    }

    // Requests are not logged one by one (scrapes and polling would drown the log); errors are.
    const httpLogger: FastifyBaseLogger = logger.child({ svc: 'http' }, { level: 'warn' });
    const live = new LiveState(network);
    const feed = connectDashboardFeed({
      bus: await localBus(services.dashboard),
      live,
      clock: systemClock,
      logger: httpLogger,
    });
    stops.push(() => feed.close());
    const ingestRates = ingestRateSampler(metrics);
    const http: FastifyInstance = await buildDashboard({
      registry,
      network,
      influx,
      live,
      auditDbPath: join(config.dataDir, 'audit.sqlite'),
      sessionDbPath: join(config.dataDir, 'sessions.sqlite'),
      publishPlan: (id, plan) => feed.publishPlan(id, plan),
      envelope: (intersection, plan, previous) => enforceEnvelope(intersection, plan, previous),
      ...(control === null ? {} : { controlStatus: controlStatusOf(control) }),
      ingestStatus: () => ({ ...ingest.status(), ...ingestRates() }),
      clock: systemClock,
      logger: httpLogger,
      cookieSecret: secretFromFile(join(config.dataDir, 'cookie-secret')),
      staticDir: existsSync(join(webDistDir, 'index.html')) ? webDistDir : null,
      tls: false,
      opsRoutes: (app) =>
        registerOpsRoutes(app, {
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
        }),
    });
    stops.push(() => http.close());
    let httpUrl = '';
    if (opts.http !== false) {
      await http.listen({ port: config.httpPort, host: config.bindHost });
      const addr = http.server.address();
      const httpPort = typeof addr === 'object' && addr !== null ? addr.port : config.httpPort;
      httpUrl = `http://${hostForUrl(config.bindHost)}:${httpPort}`;
    }

    let city: SimulatedCity | null = null;
    if (config.simulate.enabled) {
      const provisioned = await provisionCity(registry, network, { dataDir: config.dataDir });
      const sim = startSimulatedCity({
        brokerUrl: mqttUrl,
        network,
        credentials: provisioned.credentials,
        speed: config.simulate.speed,
        seed: config.simulate.seed,
      });
      city = sim;
      stops.push(() => sim.stop());
    }

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
      network,
      networkPath,
      control,
      city,
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

function controlStatusOf(loop: ControlLoop): () => ControlStatus {
  return () => {
    const now = Date.now();
    return {
      intersections: loop.status().map((s) => ({
        intersectionId: s.intersectionId,
        fallbackReason: s.fallbackReason,
        dataAgeS: s.lastCountsMs === null ? null : Math.max(0, (now - s.lastCountsMs) / 1000),
      })),
    };
  };
}

/** Ingest and reject rates for the health strip, from the ingest counters, over the last call's window. */
function ingestRateSampler(metrics: MetricsRegistry): () => { ingestRatePerS: number; rejectsPerS: number } {
  let last = { at: Date.now(), accepted: 0, rejected: 0 };
  let rates = { ingestRatePerS: 0, rejectsPerS: 0 };
  const total = (name: string): number => {
    const m = metrics.getSingleMetric(name) as unknown as
      | { hashMap?: Record<string, { value: number }> }
      | undefined;
    return Object.values(m?.hashMap ?? {}).reduce((sum, v) => sum + v.value, 0);
  };
  return () => {
    const now = Date.now();
    if (now - last.at < 1000) return rates;
    const accepted = total('ingest_messages_accepted_total');
    const rejected = total('ingest_messages_rejected_total');
    const dt = (now - last.at) / 1000;
    rates = { ingestRatePerS: (accepted - last.accepted) / dt, rejectsPerS: (rejected - last.rejected) / dt };
    last = { at: now, accepted, rejected };
    return rates;
  };
}

function hostForUrl(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}
