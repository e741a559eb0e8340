import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dealDevices, type Fleet, type FleetTotals, mergeStats } from './fleet.ts';
import { childrenFor } from './profiles.ts';
import type {
  FromWorker,
  ToWorker,
  WorkerDevice,
  WorkerGroup,
  WorkerPlan,
  WorkerStats,
} from './worker-protocol.ts';

export interface FleetRunOptions {
  /** mqtt://127.0.0.1:port */
  readonly url: string;
  readonly fleet: Fleet;
  /** Secret for each device id (the registry's answer to `addDevices`); '' when the broker has no auth. */
  readonly secretOf: (id: string) => string;
  readonly mode: 'schedule' | 'closed' | 'idle';
  /** New connections per second over the whole fleet. */
  readonly rampPerSec: number;
  readonly window?: number;
  readonly maxInflight?: number;
  /** Child processes; default: as many as the per-process file limit requires. */
  readonly children?: number;
  readonly maxPerChild?: number;
  readonly keepaliveS?: number;
}

const WORKER = fileURLToPath(new URL('./load-worker.ts', import.meta.url));

/**
 * The parent of the load children: splits a fleet over child processes (≤ 15,000 sockets each),
 * opens the connections at the requested ramp, starts and stops publishing together, and merges
 * the children's counters and latency histograms.
 */
export class FleetRun {
  private readonly latest = new Map<number, WorkerStats>();
  private exited = 0;

  private constructor(private readonly children: readonly ChildProcess[]) {
    for (const child of children) {
      child.on('message', (m: FromWorker) => this.latest.set(m.stats.childIndex, m.stats));
      child.on('exit', () => this.exited++);
    }
  }

  static async connect(o: FleetRunOptions): Promise<FleetRun> {
    const total = o.fleet.groups.reduce((n, g) => n + g.ids.length, 0);
    const n = o.children ?? childrenFor(total, o.maxPerChild);
    const plans = Array.from({ length: n }, (_, childIndex) => ({
      childIndex,
      url: o.url,
      mode: o.mode,
      rampPerSec: o.rampPerSec / n,
      groups: [] as WorkerGroup[],
      ...(o.window === undefined ? {} : { window: o.window }),
      ...(o.maxInflight === undefined ? {} : { maxInflight: o.maxInflight }),
      ...(o.keepaliveS === undefined ? {} : { keepaliveS: o.keepaliveS }),
    }));
    for (const g of o.fleet.groups) {
      const devices: WorkerDevice[] = g.ids.map((id, i) => ({
        id,
        secret: o.secretOf(id),
        kind: g.kind,
        ...(g.gatewayIndexes ? { gatewayIndex: g.gatewayIndexes[i] as number } : {}),
      }));
      const dealt = dealDevices(devices, n);
      for (const [c, plan] of plans.entries()) {
        const mine = dealt[c] as WorkerDevice[];
        if (mine.length === 0) continue;
        // A child with k of the group's n devices keeps each device's period: together the
        // children offer the group's full rate.
        plan.groups.push({
          kind: g.kind,
          qos: g.qos,
          devices: mine,
          periodMs: g.periodMs,
          ...(g.metersPerGateway === undefined ? {} : { metersPerGateway: g.metersPerGateway }),
          ...(g.readingsPerBatch === undefined ? {} : { readingsPerBatch: g.readingsPerBatch }),
          ...(g.intervalS === undefined ? {} : { intervalS: g.intervalS }),
        });
      }
    }
    const children = plans.map(() =>
      fork(WORKER, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }),
    );
    const run = new FleetRun(children);
    await Promise.all(
      children.map(
        (child, i) =>
          new Promise<void>((resolve, reject) => {
            const onMsg = (m: FromWorker) => {
              if (m.type !== 'connected') return;
              child.off('message', onMsg);
              resolve();
            };
            child.on('message', onMsg);
            child.once('exit', (code) =>
              reject(new Error(`load child ${i} exited with ${code} while connecting`)),
            );
            child.send({ cmd: 'connect', plan: plans[i] as WorkerPlan } satisfies ToWorker);
          }),
      ),
    );
    return run;
  }

  get pids(): number[] {
    return this.children.map((c) => c.pid ?? -1);
  }

  /** Merged counters of the last progress report of every child (reports come once a second). */
  totals(): FleetTotals {
    return mergeStats([...this.latest.values()]);
  }

  /** Fresh totals: every child reports its counters now (for exact rates over a window). */
  async snapshot(): Promise<FleetTotals> {
    await Promise.all(this.children.map((child) => this.request(child, { cmd: 'report' }, 'report')));
    return this.totals();
  }

  go(): void {
    this.broadcast({ cmd: 'go' });
  }

  /** Forget the latency recorded so far (e.g. after warm-up); counters keep running. */
  resetLatency(): void {
    this.broadcast({ cmd: 'reset-latency' });
  }

  /** Stops publishing, waits up to `drainMs` for outstanding acks, and returns the final totals. */
  async stop(drainMs = 30_000): Promise<FleetTotals> {
    await Promise.all(this.children.map((child) => this.request(child, { cmd: 'stop', drainMs }, 'stopped')));
    return this.totals();
  }

  /** Closes every connection and ends the children (killed if they do not leave within 10 s). */
  async close(): Promise<void> {
    await Promise.all(
      this.children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
            child.once('exit', () => {
              clearTimeout(timer);
              resolve();
            });
            child.send({ cmd: 'exit' } satisfies ToWorker);
          }),
      ),
    );
  }

  private request(child: ChildProcess, m: ToWorker, reply: FromWorker['type']): Promise<void> {
    return new Promise<void>((resolve) => {
      if (!child.connected) return resolve();
      const onMsg = (r: FromWorker) => {
        if (r.type !== reply) return;
        child.off('message', onMsg);
        child.off('exit', onExit);
        resolve();
      };
      const onExit = () => {
        child.off('message', onMsg);
        resolve();
      };
      child.on('message', onMsg);
      child.once('exit', onExit);
      child.send(m);
    });
  }

  private broadcast(m: ToWorker): void {
    for (const c of this.children) if (c.connected) c.send(m);
  }
}
