import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { type Logger, pino } from 'pino';
import { collectDefaultMetrics, Registry as MetricsRegistry } from 'prom-client';
import { connectCluster } from '../broker/cluster/cluster-bus.ts';
import { ClusterMetricsRegistry } from '../broker/cluster/cluster-metrics.ts';
import { sumIngestStatus } from '../broker/cluster/ingest-totals.ts';
import { LocalHub } from '../broker/cluster/local-hub.ts';
import { drainOrphanSpools } from '../broker/cluster/orphan-spools.ts';
import { type BrokerCluster, startBrokerCluster } from '../broker/cluster/start-broker-cluster.ts';
import { createBroker } from '../broker/create-broker.ts';
import type { ListeningPorts, ListenOptions } from '../broker/listeners.ts';
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
import { createIngest, type Ingest, type IngestStatus } from '../ingest/create-ingest.ts';
import type { InfluxTarget } from '../ingest/influx-writer.ts';
import type { BusConnection } from '../protocol/bus.ts';
import type { SenderIdentity } from '../protocol/identity.ts';
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
  /** Summed over every spool (each broker worker's too when BROKER_PROCESSES > 1). */
  ingestStatus(): IngestStatus;
  /** The broker worker processes, when BROKER_PROCESSES > 1 (null: the broker runs in this process). */
  readonly brokerCluster: BrokerCluster | null;
  /** An in-process connection for a service account (as the control loop and dashboard get). */
  connectService(identity: SenderIdentity): BusConnection;
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
    const registryPath = join(config.dataDir, 'registry.sqlite');
    const registry = Registry.open(registryPath);
    stops.push(() => registry.close());

    // Spools of broker workers this run will not have (BROKER_PROCESSES was higher) hold
    // acknowledged messages: drain them.
    const orphans = drainOrphanSpools({
      dataDir: config.dataDir,
      processes: config.mqtt.processes,
      influx,
      logger: logger.child({ svc: 'ingest' }),
    });
    stops.push(() => orphans.stop());

    // With one broker process this spool takes every message; with several, each worker has its
    // own and this one takes only what the platform's services publish (plans), plus what a
    // single-process run left in it.
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

    const broker =
      config.mqtt.processes > 1
        ? await startClusterBroker({ config, registryPath, influx, ingest, metrics, logger })
        : await startOneBroker({ config, registry, ingest, metrics, logger });
    stops.push(() => broker.stop());
    const ports = broker.ports;
    const mqttUrl = `mqtt://${hostForUrl(config.bindHost)}:${ports.tcpPort}`;
    const ingestStatus = (): IngestStatus => {
      const s = broker.ingestStatus();
      const left = orphans.depth();
      return left === 0 ? s : { ...s, spoolDepth: s.spoolDepth + left };
    };

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
      return broker.connect(auth.identity);
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
    const ingestRates = ingestRateSampler(broker.ingestTotals);
    const http: FastifyInstance = await buildDashboard({
      registry,
      network,
      influx,
      live,
      auditDbPath: join(config.dataDir, 'audit.sqlite'),
      sessionDbPath: join(config.dataDir, 'sessions.sqlite'),
      basemapPmtiles: config.basemapPmtiles,
      publishPlan: (id, plan) => feed.publishPlan(id, plan),
      envelope: (intersection, plan, previous) => enforceEnvelope(intersection, plan, previous),
      ...(control === null ? {} : { controlStatus: controlStatusOf(control) }),
      ingestStatus: () => ({ ...ingestStatus(), ...ingestRates() }),
      clock: systemClock,
      logger: httpLogger,
      cookieSecret: secretFromFile(join(config.dataDir, 'cookie-secret')),
      staticDir: existsSync(join(webDistDir, 'index.html')) ? webDistDir : null,
      tls: false,
      opsRoutes: (app) =>
        registerOpsRoutes(app, {
          metrics: broker.opsMetrics,
          metricsPublic: config.metricsPublic,
          readiness: [
            { name: 'broker', check: broker.readiness },
            {
              name: 'influxdb',
              // Ready while spooling: acknowledgements stay durable, the spool replays later.
              check: () => {
                const s = ingestStatus();
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

    // Runs first on stop: workers that a process-group signal already stopped stay stopped.
    stops.push(() => broker.cluster?.stopRestarting());

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
      ingestStatus,
      brokerCluster: broker.cluster,
      connectService: (identity) => broker.connect(identity),
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

/** Ingest and reject rates for the health strip, from the ingest totals, over the last call's window. */
function ingestRateSampler(
  totals: () => IngestTotals,
): () => { ingestRatePerS: number; rejectsPerS: number } {
  let last = { at: Date.now(), accepted: 0, rejected: 0 };
  let rates = { ingestRatePerS: 0, rejectsPerS: 0 };
  return () => {
    const now = Date.now();
    if (now - last.at < 1000) return rates;
    const { accepted, rejected } = totals();
    const dt = (now - last.at) / 1000;
    rates = { ingestRatePerS: (accepted - last.accepted) / dt, rejectsPerS: (rejected - last.rejected) / dt };
    last = { at: now, accepted, rejected };
    return rates;
  };
}

/** Messages ingest took (stored or ignored) and refused, since the platform started. */
interface IngestTotals {
  readonly accepted: number;
  readonly rejected: number;
}

/** Sums a counter's series in a prom-client registry (read at call time). */
function counterTotal(metrics: MetricsRegistry, name: string): number {
  const m = metrics.getSingleMetric(name) as unknown as
    | { hashMap?: Record<string, { value: number }> }
    | undefined;
  return Object.values(m?.hashMap ?? {}).reduce((sum, v) => sum + v.value, 0);
}

/** The broker as the rest of the platform sees it, whether it runs here or in worker processes. */
interface PlatformBroker {
  readonly ports: ListeningPorts;
  /** A service's connection (same ACL and sink as over MQTT, no socket). */
  connect(identity: SenderIdentity): BusConnection;
  ingestStatus(): IngestStatus;
  ingestTotals(): IngestTotals;
  /** What `/metrics` serves. */
  readonly opsMetrics: MetricsRegistry;
  readiness(): { ok: boolean; detail?: string };
  readonly cluster: BrokerCluster | null;
  stop(): Promise<void>;
}

interface BrokerStartDeps {
  readonly config: PlatformConfig;
  readonly ingest: Ingest;
  readonly metrics: MetricsRegistry;
  readonly logger: Logger;
}

/** BROKER_PROCESSES=1: the broker in this process, with the platform's ingest as its sink. */
async function startOneBroker(d: BrokerStartDeps & { registry: Registry }): Promise<PlatformBroker> {
  const { config, ingest, metrics } = d;
  const broker = createBroker({
    registry: d.registry,
    sink: ingest,
    logger: d.logger.child({ svc: 'broker' }),
    metrics,
    concurrency: config.mqtt.concurrency,
  });
  const ports = await broker.listen(listenOptions(config));
  return {
    ports,
    connect: (identity) => broker.connectLocal(identity),
    ingestStatus: () => ingest.status(),
    ingestTotals: () => ({
      accepted: counterTotal(metrics, 'ingest_messages_accepted_total'),
      rejected: counterTotal(metrics, 'ingest_messages_rejected_total'),
    }),
    opsMetrics: metrics,
    readiness: () => ({ ok: true, detail: `mqtt :${ports.tcpPort}` }),
    cluster: null,
    stop: () => broker.close(),
  };
}

/**
 * BROKER_PROCESSES=N>1: N broker workers share the MQTT ports, each with its own ingest and
 * spool (broker/cluster). This process keeps the services; they subscribe to what the workers
 * forward, and what they publish is made durable in this process's spool, then sent to every worker.
 */
async function startClusterBroker(
  d: BrokerStartDeps & { registryPath: string; influx: InfluxTarget },
): Promise<PlatformBroker> {
  const { config, ingest, metrics } = d;
  const hub = new LocalHub();
  const cluster = await startBrokerCluster({
    processes: config.mqtt.processes,
    dataDir: config.dataDir,
    registryPath: d.registryPath,
    influx: d.influx,
    listen: listenOptions(config),
    concurrency: config.mqtt.concurrency,
    logLevel: config.logLevel,
    logger: d.logger.child({ svc: 'broker' }),
    onMessage: (topic, payload) => hub.deliver(topic, payload),
  });
  const statuses = () => cluster.workers().flatMap((w) => (w.status === null ? [] : [w.status]));
  return {
    ports: cluster.ports,
    connect: (identity) => {
      if (identity.role !== 'service') throw new Error('only service accounts connect in-process');
      return connectCluster({
        identity,
        sink: ingest,
        hub,
        broadcast: (messages) => cluster.publish(messages),
        upCount: cluster.upCount,
        onUpChange: cluster.onUpChange,
      });
    },
    ingestStatus: () => sumIngestStatus([ingest.status(), ...statuses().map((s) => s.ingest)]),
    ingestTotals: () =>
      statuses().reduce(
        (t, s) => ({ accepted: t.accepted + s.accepted, rejected: t.rejected + s.rejected }),
        {
          accepted: counterTotal(metrics, 'ingest_messages_accepted_total'),
          rejected: counterTotal(metrics, 'ingest_messages_rejected_total'),
        },
      ),
    opsMetrics: new ClusterMetricsRegistry(metrics, () => cluster.metricsJson()),
    readiness: () => {
      const up = cluster.upCount();
      // Serving while any worker is: the others' devices reconnect and land on it.
      return {
        ok: up > 0,
        detail: `mqtt :${cluster.ports.tcpPort}, ${up}/${cluster.size} broker processes up`,
      };
    },
    cluster,
    stop: () => cluster.stop(),
  };
}

function listenOptions(config: PlatformConfig): ListenOptions {
  return {
    host: config.bindHost,
    tcpPort: config.mqtt.port,
    wsPort: config.mqtt.wsPort,
    ...(config.mqtt.tls ? { tls: config.mqtt.tls } : {}),
  };
}

function hostForUrl(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}
