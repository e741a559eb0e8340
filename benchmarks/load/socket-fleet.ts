import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dealDevices } from './fleet.ts';
import type { FromSocketWorker, SocketWorkerPlan, ToSocketWorker } from './socket-protocol.ts';
import { mergeSocketStats, type SocketChildStats, type SocketTotals } from './socket-stats.ts';
import type { ClientView } from './socket-viewports.ts';

const WORKER = fileURLToPath(new URL('./socket-worker.ts', import.meta.url));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface SocketFleetOptions {
  readonly url: string;
  readonly cookies: readonly string[];
  readonly views: readonly ClientView[];
  readonly children: number;
  /** New connections per second over the whole fleet. */
  readonly rampPerSec: number;
  /** Every n-th client decodes with socket.io-client (default 1: all of them). */
  readonly decodeEvery?: number;
}

/**
 * Dashboard socket clients spread over child processes (their JSON parsing must not share the
 * dashboard's core, nor one event loop): opens them at a ramp and merges the children's counters.
 */
export class SocketFleet {
  private readonly latest = new Map<number, SocketChildStats>();

  private constructor(private readonly children: readonly ChildProcess[]) {
    for (const child of children) {
      child.on('message', (m: FromSocketWorker) => this.latest.set(m.stats.childIndex, m.stats));
    }
  }

  static start(o: SocketFleetOptions): SocketFleet {
    const n = Math.max(1, Math.min(o.children, o.views.length));
    const dealt = dealDevices(o.views, n);
    const children = dealt.map((views, childIndex) => {
      const child = fork(WORKER, [], {
        execArgv: ['--import', 'tsx'],
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      const plan: SocketWorkerPlan = {
        childIndex,
        url: o.url,
        cookies: o.cookies,
        views,
        rampPerSec: o.rampPerSec / n,
        ...(o.decodeEvery ? { decodeEvery: o.decodeEvery } : {}),
      };
      child.send({ cmd: 'start', plan } satisfies ToSocketWorker);
      return child;
    });
    return new SocketFleet(children);
  }

  totals(): SocketTotals {
    return mergeSocketStats([...this.latest.values()]);
  }

  /** Waits until every client has its first snapshot (or the timeout); returns the totals. */
  async waitReady(clients: number, timeoutMs: number): Promise<SocketTotals> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline && this.totals().all.ready < clients) await sleep(250);
    return this.totals();
  }

  private broadcast(m: ToSocketWorker): void {
    for (const c of this.children) if (c.connected) c.send(m);
  }

  resetLatency(): void {
    this.broadcast({ cmd: 'reset-latency' });
  }

  /** Fresh counters from every child (not the last once-a-second progress report). */
  async report(): Promise<SocketTotals> {
    const live = this.children.filter((c) => c.connected);
    await Promise.all(
      live.map(
        (c) =>
          new Promise<void>((resolve) => {
            const timer = setTimeout(done, 5000);
            function done() {
              clearTimeout(timer);
              c.off('message', onMsg);
              resolve();
            }
            function onMsg(m: FromSocketWorker) {
              if (m.type === 'report') done();
            }
            c.on('message', onMsg);
            c.send({ cmd: 'report' } satisfies ToSocketWorker);
          }),
      ),
    );
    return this.totals();
  }

  async close(): Promise<void> {
    await Promise.all(
      this.children.map(
        (c) =>
          new Promise<void>((resolve) => {
            if (c.exitCode !== null || c.signalCode !== null) return resolve();
            const timer = setTimeout(() => c.kill('SIGKILL'), 10_000);
            c.once('exit', () => {
              clearTimeout(timer);
              resolve();
            });
            if (c.connected) c.send({ cmd: 'exit' } satisfies ToSocketWorker);
            else c.kill('SIGTERM');
          }),
      ),
    );
  }
}
