// A broker worker process (forked by start-broker-cluster.ts through broker-worker.mjs): its own
// ingest and spool, the authenticated broker on the shared ports, and a forwarder that hands every
// message its clients publish to the primary, where the platform's services subscribe.
import { pino } from 'pino';
import { collectDefaultMetrics, Registry as MetricsRegistry } from 'prom-client';
import { createIngest } from '../../ingest/create-ingest.ts';
import type { MessageSink } from '../../protocol/identity.ts';
import { topicKind } from '../acl.ts';
import { createBroker } from '../create-broker.ts';
import { Registry } from '../registry.ts';
import {
  assertNever,
  isToWorker,
  type ToPrimary,
  WORKER_CONFIG_ENV,
  type WorkerConfig,
  type WorkerStatus,
} from './cluster-protocol.ts';
import { createBatcher, decodeBatch } from './message-batch.ts';

// Forward batches handed to the IPC pipe and not yet written. Past this the primary is not keeping
// up; the live feed then loses batches (counted) rather than this process growing without bound.
// Nothing acknowledged is affected: every forwarded message is already in this worker's spool.
const MAX_UNSENT_BATCHES = 2_000;

const raw = process.env[WORKER_CONFIG_ENV];
if (raw === undefined || process.send === undefined) {
  console.error(`broker worker: started without ${WORKER_CONFIG_ENV} or an IPC channel`);
  process.exit(2);
}
const config = JSON.parse(raw) as WorkerConfig;
const send = (m: ToPrimary, cb?: (err: Error | null) => void): void => {
  if (!process.connected) {
    cb?.(new Error('primary is gone'));
    return;
  }
  process.send?.(m, undefined, undefined, cb);
};

const logger = pino({ level: config.logLevel }).child({ svc: 'broker', worker: config.index });
const metrics = new MetricsRegistry();
collectDefaultMetrics({ register: metrics });

let stopping: Promise<void> | null = null;
let stopAll: () => Promise<void> = async () => {};
function stop(reason: string): Promise<void> {
  stopping ??= (async () => {
    logger.info({ reason }, 'broker worker stopping');
    await stopAll();
    process.exit(0);
  })();
  return stopping;
}
process.on('message', (m: unknown) => {
  if (!isToWorker(m)) return;
  switch (m.t) {
    case 'publish':
      publishLocally(m.data);
      return;
    case 'metrics':
      void metrics.getMetricsAsJSON().then((json) => send({ t: 'metrics', id: m.id, metrics: json }));
      return;
    case 'status':
      reportStatus();
      return;
    case 'stop':
      void stop('asked by the primary');
      return;
    default:
      assertNever(m);
  }
});
// The primary died: without it no new connection reaches us and nothing is forwarded; drain and go.
process.on('disconnect', () => void stop('primary disconnected'));
// Ctrl-C reaches the whole process group: each worker drains itself, as the primary does.
process.on('SIGTERM', () => void stop('SIGTERM'));
process.on('SIGINT', () => void stop('SIGINT'));

let publishLocally: (data: Uint8Array) => void = () => {};
let reportStatus: () => void = () => {};

try {
  const registry = Registry.open(config.registryPath);
  const ingest = createIngest({
    journalPath: config.spoolPath,
    influx: config.influx,
    metrics,
    logger: logger.child({ svc: 'ingest' }),
  });
  ingest.start();
  // PUBACK means durable in this worker's spool: listen only once the spool can commit.
  await ingest.ready();

  let accepted = 0;
  let rejected = 0;
  const sink: MessageSink = {
    async receive(sender, topic, payload) {
      const outcome = await ingest.receive(sender, topic, payload);
      if (outcome === 'rejected') rejected++;
      else accepted++;
      return outcome;
    },
  };
  const broker = createBroker({
    registry,
    sink,
    logger,
    metrics,
    concurrency: config.concurrency,
  });

  let unsent = 0;
  let forwardDropped = 0;
  const batcher = createBatcher({
    schedule: (run) => setImmediate(run),
    flush(data) {
      if (unsent >= MAX_UNSENT_BATCHES) {
        forwardDropped++;
        return;
      }
      unsent++;
      send({ t: 'batch', data }, () => unsent--);
    },
  });
  // Every message a client of this worker published and aedes accepted (rejected ones were
  // re-addressed to `$rejected`), and the status this broker publishes for its devices. Plans the
  // primary injects (client null, plan topics) are not sent back to where they came from.
  broker.aedes.on('publish', (packet, client) => {
    const topic = packet.topic;
    if (topic.charCodeAt(0) === 36) return;
    if (client === null && topicKind(topic) !== 'deviceStatus') return;
    const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
    batcher.push({ topic, payload, qos: packet.qos === 0 ? 0 : 1, retain: packet.retain });
  });
  publishLocally = (data) => {
    for (const m of decodeBatch(data)) {
      broker.aedes.publish(
        { cmd: 'publish', topic: m.topic, payload: m.payload, qos: m.qos, retain: m.retain, dup: false },
        (err) => {
          if (err) logger.warn({ err, topic: m.topic }, 'could not publish a message from the primary');
        },
      );
    }
  };

  const status = (): WorkerStatus => ({
    connected: broker.aedes.connectedClients,
    rssBytes: process.memoryUsage.rss(),
    ingest: ingest.status(),
    accepted,
    rejected,
    forwardDropped,
  });
  reportStatus = () => send({ t: 'status', status: status() });
  const statusTimer = setInterval(reportStatus, config.statusIntervalMs);

  stopAll = async () => {
    clearInterval(statusTimer);
    // Stop accepting and close clients first, so nothing new is acknowledged; then the spool.
    await broker.close();
    batcher.flushNow();
    send({ t: 'status', status: status() });
    await ingest.stop();
    registry.close();
  };

  const ports = await broker.listen(config.listen);
  send({ t: 'status', status: status() });
  send({ t: 'ready', ports });
} catch (err) {
  logger.error({ err }, 'broker worker failed to start');
  send({ t: 'failed', error: err instanceof Error ? err.message : String(err) }, () => process.exit(1));
}
