import cluster, { type Worker } from 'node:cluster';
import { type AddressInfo, createServer, type Server } from 'node:net';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { InfluxTarget } from '../../ingest/influx-writer.ts';
import { topicKind } from '../acl.ts';
import type { ListeningPorts, ListenOptions } from '../listeners.ts';
import {
  assertNever,
  isToPrimary,
  type MetricsJson,
  type ToPrimary,
  type ToWorker,
  WORKER_CONFIG_ENV,
  type WorkerConfig,
  type WorkerStatus,
} from './cluster-protocol.ts';
import { type BatchedMessage, decodeBatch, encodeBatch } from './message-batch.ts';
import { defaultRestartPolicy, nextCrashCount, type RestartPolicy, restartDelayMs } from './restart-delay.ts';
import { workerSpoolFile } from './worker-spools.ts';

export interface BrokerClusterOptions {
  /** Broker worker processes to run (≥ 1). */
  readonly processes: number;
  /** Worker i spools to `dataDir/spool-w<i>.sqlite`. */
  readonly dataDir: string;
  readonly registryPath: string;
  readonly influx: InfluxTarget;
  /** Port 0 is resolved to one free port here, so every worker (and every restart) binds the same. */
  readonly listen: ListenOptions;
  readonly concurrency: number;
  readonly logLevel: string;
  readonly logger: Logger;
  /** Every message a worker's clients published (accepted by its sink), and device status. */
  readonly onMessage: (topic: string, payload: Buffer) => void;
  readonly restart?: RestartPolicy;
  readonly statusIntervalMs?: number;
  /** How long the first start of every worker may take. */
  readonly startTimeoutMs?: number;
}

export interface WorkerView {
  readonly index: number;
  readonly pid: number | null;
  /** Listening and serving. */
  readonly up: boolean;
  /** Times this slot's worker was restarted after it exited. */
  readonly restarts: number;
  /** Latest status the worker reported (every statusIntervalMs), null before its first. */
  readonly status: WorkerStatus | null;
}

export interface BrokerCluster {
  readonly ports: ListeningPorts;
  readonly size: number;
  workers(): readonly WorkerView[];
  upCount(): number;
  onUpChange(listener: (up: number) => void): void;
  /**
   * Publishes on every serving worker's broker (only the worker holding a subscriber delivers);
   * resolves once each is written to its IPC pipe. `except`: a worker that already has them.
   */
  publish(messages: readonly BatchedMessage[], except?: number): Promise<void>;
  /**
   * Asks every serving worker for its status now and resolves once each answered (or timeoutMs):
   * `workers()` then shows the state after everything acknowledged before the call.
   */
  refreshStatus(timeoutMs?: number): Promise<void>;
  /** Each serving worker's metrics (prom-client JSON), for `AggregatorRegistry.aggregate`. */
  metricsJson(timeoutMs?: number): Promise<MetricsJson[]>;
  /**
   * No more restarts: called as the platform begins to stop. A signal to the process group (Ctrl-C,
   * a service manager's stop) reaches the workers at once; they drain and exit on their own, and
   * must not be restarted while the platform stops its other parts first.
   */
  stopRestarting(): void;
  /** Graceful: every worker stops accepting, closes its clients, flushes its ingest and exits. */
  stop(): Promise<void>;
}

const WORKER_ENTRY = new URL('./broker-worker.mjs', import.meta.url).pathname;
const STOP_TIMEOUT_MS = 30_000;

interface Slot {
  readonly index: number;
  worker: Worker | null;
  up: boolean;
  startedAtMs: number;
  crashes: number;
  restarts: number;
  status: WorkerStatus | null;
  /** Waiting for this worker's next status report (refreshStatus). */
  statusWaiters: (() => void)[];
  restartTimer: NodeJS.Timeout | null;
  /** The first start's outcome (startBrokerCluster waits for every slot's). */
  settleFirst: ((err: Error | null) => void) | null;
}

/**
 * N authenticated broker processes behind the same MQTT ports (node:cluster: the primary accepts
 * and hands each connection to the next worker in turn, so it holds no device sockets). Each
 * worker has its own ingest and spool; every message its clients publish is forwarded here in
 * batches, and what the platform's services publish is sent to every worker. A worker that exits
 * is restarted with a bounded backoff; its successor opens the same spool and drains it.
 */
export async function startBrokerCluster(o: BrokerClusterOptions): Promise<BrokerCluster> {
  if (!cluster.isPrimary) throw new Error('a broker cluster is started from a primary process');
  const policy = o.restart ?? defaultRestartPolicy;
  const log = o.logger;
  const listen = await resolvePorts(o.listen);
  const upListeners: ((up: number) => void)[] = [];
  const metricsWaiting = new Map<number, { got: MetricsJson[]; left: number; done: () => void }>();
  let nextMetricsId = 1;
  let stopping = false;
  let restarting = true;
  const slots: Slot[] = Array.from({ length: o.processes }, (_, index) => ({
    index,
    worker: null,
    up: false,
    startedAtMs: 0,
    crashes: 0,
    restarts: 0,
    status: null,
    statusWaiters: [],
    restartTimer: null,
    settleFirst: null,
  }));

  const upCount = () => slots.filter((s) => s.up).length;
  const notifyUp = () => {
    const up = upCount();
    for (const l of upListeners) l(up);
  };
  const configOf = (index: number): WorkerConfig => ({
    index,
    registryPath: o.registryPath,
    spoolPath: join(o.dataDir, workerSpoolFile(index)),
    influx: o.influx,
    listen,
    concurrency: o.concurrency,
    logLevel: o.logLevel,
    statusIntervalMs: o.statusIntervalMs ?? 1000,
  });
  const sendTo = (w: Worker, m: ToWorker): Promise<void> =>
    new Promise((resolve) => {
      if (!w.isConnected()) return resolve();
      // A worker that died meanwhile is restarted without this message: its clients are gone too.
      w.send(m, undefined, () => resolve());
    });

  function fork(slot: Slot): void {
    // Workers run TypeScript through tsx (broker-worker.mjs registers it); advanced serialization
    // carries the batches as bytes, not as JSON arrays of numbers.
    cluster.setupPrimary({ exec: WORKER_ENTRY, execArgv: [], serialization: 'advanced' });
    const worker = cluster.fork({ [WORKER_CONFIG_ENV]: JSON.stringify(configOf(slot.index)) });
    slot.worker = worker;
    slot.up = false;
    slot.status = null;
    slot.startedAtMs = Date.now();
    worker.on('message', (m: unknown) => {
      if (isToPrimary(m)) onWorkerMessage(slot, m);
    });
    worker.on('exit', (code, signal) => onExit(slot, worker, code, signal));
  }

  function onWorkerMessage(slot: Slot, m: ToPrimary): void {
    switch (m.t) {
      case 'ready':
        slot.up = true;
        slot.startedAtMs = Date.now();
        log.info(
          { worker: slot.index, pid: slot.worker?.process.pid, restarts: slot.restarts },
          'broker worker up',
        );
        slot.settleFirst?.(null);
        slot.settleFirst = null;
        notifyUp();
        return;
      case 'failed':
        log.error({ worker: slot.index, error: m.error }, 'broker worker failed to start');
        slot.settleFirst?.(new Error(`broker worker ${slot.index} failed to start: ${m.error}`));
        slot.settleFirst = null;
        return;
      case 'status':
        slot.status = m.status;
        for (const w of slot.statusWaiters.splice(0)) w();
        return;
      case 'batch':
        onBatch(slot, m.data);
        return;
      case 'metrics': {
        const waiting = metricsWaiting.get(m.id);
        if (waiting === undefined) return;
        waiting.got.push(m.metrics);
        if (--waiting.left === 0) waiting.done();
        return;
      }
      default:
        assertNever(m);
    }
  }

  function onBatch(slot: Slot, data: Uint8Array): void {
    let messages: BatchedMessage[];
    try {
      messages = decodeBatch(data);
    } catch (err) {
      log.error({ err, worker: slot.index }, 'undecodable batch from a broker worker');
      return;
    }
    const plans: BatchedMessage[] = [];
    for (const m of messages) {
      o.onMessage(m.topic, m.payload);
      // A plan from a service connected over MQTT to this worker: the signal may sit on another.
      if (topicKind(m.topic) === 'signalPlan') plans.push(m);
    }
    if (plans.length > 0) void publish(plans, slot.index);
  }

  function onExit(slot: Slot, worker: Worker, code: number | null, signal: string | null): void {
    if (slot.worker !== worker) return;
    const wasUp = slot.up;
    slot.worker = null;
    for (const w of slot.statusWaiters.splice(0)) w();
    slot.up = false;
    if (wasUp) notifyUp();
    if (stopping || !restarting) {
      log.info({ worker: slot.index, code, signal }, 'broker worker exited');
      return;
    }
    slot.settleFirst?.(
      new Error(`broker worker ${slot.index} exited (${signal ?? code}) before it was ready`),
    );
    slot.settleFirst = null;
    slot.crashes = nextCrashCount(slot.crashes, Date.now() - slot.startedAtMs, policy);
    const delayMs = restartDelayMs(slot.crashes, policy);
    log.error(
      { worker: slot.index, pid: worker.process.pid, code, signal, restartInMs: delayMs },
      'broker worker exited; restarting it',
    );
    slot.restartTimer = setTimeout(() => {
      slot.restartTimer = null;
      if (stopping || !restarting) return;
      slot.restarts++;
      fork(slot);
    }, delayMs);
  }

  async function publish(messages: readonly BatchedMessage[], except?: number): Promise<void> {
    if (messages.length === 0) return;
    const data = encodeBatch(messages);
    await Promise.all(
      slots.map((s) =>
        s.up && s.worker !== null && s.index !== except
          ? sendTo(s.worker, { t: 'publish', data })
          : undefined,
      ),
    );
  }

  async function stop(): Promise<void> {
    if (stopping) return;
    stopping = true;
    restarting = false;
    await Promise.all(
      slots.map(async (slot) => {
        if (slot.restartTimer !== null) clearTimeout(slot.restartTimer);
        const w = slot.worker;
        if (w === null) return;
        const exited = new Promise<void>((resolve) => {
          if (w.process.exitCode !== null || w.process.signalCode !== null) return resolve();
          w.process.once('exit', () => resolve());
        });
        const timer = setTimeout(() => {
          log.error({ worker: slot.index }, 'broker worker did not stop in time; killing it');
          w.process.kill('SIGKILL');
        }, STOP_TIMEOUT_MS);
        if (w.isConnected()) await sendTo(w, { t: 'stop' });
        else w.process.kill('SIGTERM');
        await exited;
        clearTimeout(timer);
      }),
    );
  }

  const firstStarts = slots.map(
    (slot) =>
      new Promise<void>((resolve, reject) => {
        slot.settleFirst = (err) => (err === null ? resolve() : reject(err));
        fork(slot);
      }),
  );
  let startTimer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      Promise.all(firstStarts),
      new Promise<never>((_, reject) => {
        startTimer = setTimeout(
          () => reject(new Error('broker workers did not start in time')),
          o.startTimeoutMs ?? 120_000,
        );
      }),
    ]);
  } catch (err) {
    await stop();
    throw err;
  } finally {
    clearTimeout(startTimer);
  }
  const ports: ListeningPorts = {
    tcpPort: listen.tcpPort,
    ...(listen.wsPort === undefined ? {} : { wsPort: listen.wsPort }),
    ...(listen.tls === undefined ? {} : { tlsPort: listen.tls.port }),
  };
  log.info({ ...ports, processes: o.processes, host: listen.host }, 'broker cluster listening');

  return {
    ports,
    size: o.processes,
    workers: () =>
      slots.map((s) => ({
        index: s.index,
        pid: s.worker?.process.pid ?? null,
        up: s.up,
        restarts: s.restarts,
        status: s.status,
      })),
    upCount,
    onUpChange(listener) {
      upListeners.push(listener);
    },
    publish,
    async refreshStatus(timeoutMs = 2_000) {
      const serving = slots.filter((s) => s.up && s.worker?.isConnected());
      let timer: NodeJS.Timeout | undefined;
      const replies = serving.map(
        (s) =>
          new Promise<void>((resolve) => {
            s.statusWaiters.push(resolve);
            if (s.worker !== null) void sendTo(s.worker, { t: 'status' });
          }),
      );
      await Promise.race([
        Promise.all(replies),
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, timeoutMs);
        }),
      ]);
      clearTimeout(timer);
    },
    stopRestarting() {
      restarting = false;
      for (const s of slots) if (s.restartTimer !== null) clearTimeout(s.restartTimer);
    },
    async metricsJson(timeoutMs = 2_000) {
      const serving = slots.filter((s) => s.up && s.worker?.isConnected());
      if (serving.length === 0) return [];
      const id = nextMetricsId++;
      const got: MetricsJson[] = [];
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, timeoutMs);
        metricsWaiting.set(id, {
          got,
          left: serving.length,
          done: () => {
            clearTimeout(timer);
            resolve();
          },
        });
        for (const s of serving) if (s.worker !== null) void sendTo(s.worker, { t: 'metrics', id });
      });
      metricsWaiting.delete(id);
      return got;
    },
    stop,
  };
}

/**
 * Every listener port 0 becomes one concrete free port, chosen once: node:cluster shares a listen
 * handle by address and port, so two listeners asking for port 0 would share one, and a worker
 * restarted after all others died would get a different one.
 */
async function resolvePorts(listen: ListenOptions): Promise<ListenOptions> {
  const probes: Server[] = [];
  const probe = async (port: number): Promise<number> => {
    if (port !== 0) return port;
    const server = createServer();
    probes.push(server);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, listen.host, () => resolve());
    });
    return (server.address() as AddressInfo).port;
  };
  try {
    const tcpPort = await probe(listen.tcpPort);
    const wsPort = listen.wsPort === undefined ? undefined : await probe(listen.wsPort);
    const tls = listen.tls === undefined ? undefined : { ...listen.tls, port: await probe(listen.tls.port) };
    return {
      host: listen.host,
      tcpPort,
      ...(wsPort === undefined ? {} : { wsPort }),
      ...(tls === undefined ? {} : { tls }),
    };
  } finally {
    // Held open until all are chosen, so no two probes get the same port.
    await Promise.all(probes.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  }
}
