import { Worker } from 'node:worker_threads';
import { type DeadLetter, Journal, type JournalOptions, type SpooledLine } from './journal.ts';

export type SpoolRequest =
  | { readonly type: 'append'; readonly id: number; readonly lines: readonly string[] }
  | {
      readonly type: 'ack';
      readonly id: number;
      readonly uptoId: number;
      readonly dead: readonly DeadLetter[];
      readonly atMs: number;
    }
  | { readonly type: 'close'; readonly id: number };

export type SpoolReply =
  | { readonly id: number; readonly ok: true; readonly value: number }
  | { readonly id: number; readonly ok: false; readonly error: string };

interface Waiting {
  resolve(value: number): void;
  reject(err: Error): void;
}

/**
 * The spool with its writes (appends, acks) on a worker thread: the SQLite commit and its fsync
 * no longer block the event loop the broker and validation share (measured in docs/ingest.md).
 * Reads (peek, dead letters) stay on this thread through a second connection: in WAL mode a
 * reader never waits for the writer and sees only committed lines. Same contract as `Journal`:
 * `append` resolves after the commit.
 */
export class ThreadedJournal {
  readonly #reader: Journal;
  readonly #worker: Worker;
  readonly #waiting = new Map<number, Waiting>();
  readonly #ready: Promise<number>;
  #nextId = 1;
  #pending: string[] = [];
  #pendingWaiters: Waiting[] = [];
  #flushScheduled = false;
  #depth: number;
  #deadLetters: number;
  #commits = 0;
  #closed = false;
  #failed: Error | null = null;
  readonly #appendListeners = new Set<() => void>();

  private constructor(path: string, options: JournalOptions) {
    // Opened here first so the tables exist and the counts are known before the worker starts.
    this.#reader = Journal.open(path, options);
    this.#depth = this.#reader.depth();
    this.#deadLetters = this.#reader.deadLetterCount();
    this.#worker = new Worker(new URL('./spool-worker.mjs', import.meta.url), {
      workerData: { path, options },
      // Plain JavaScript: without the parent's flags it does not load the parent's TypeScript
      // loader (`--import tsx` would start a loader thread for this worker too, ~26 MB).
      execArgv: [],
    });
    this.#ready = new Promise((resolve, reject) => this.#waiting.set(0, { resolve, reject }));
    // A rejected start is reported to the appends that wait for it, never as an unhandled rejection.
    this.#ready.catch(() => {});
    this.#worker.on('message', (r: SpoolReply) => {
      const w = this.#waiting.get(r.id);
      if (w === undefined) return;
      this.#waiting.delete(r.id);
      if (r.ok) w.resolve(r.value);
      else w.reject(new Error(`spool: ${r.error}`));
    });
    this.#worker.on('error', (err) => this.#fail(err));
    this.#worker.on('exit', (code) => {
      if (!this.#closed) this.#fail(new Error(`spool worker exited (${code})`));
    });
  }

  static open(path: string, options: JournalOptions = {}): ThreadedJournal {
    return new ThreadedJournal(path, options);
  }

  /** Resolves once the worker is up (appends before that simply wait). */
  ready(): Promise<void> {
    return this.#ready.then(() => undefined);
  }

  #fail(err: Error): void {
    this.#failed = err;
    for (const w of this.#waiting.values()) w.reject(err);
    this.#waiting.clear();
  }

  #request(req: SpoolRequest): Promise<number> {
    if (this.#failed !== null) return Promise.reject(this.#failed);
    return new Promise<number>((resolve, reject) => {
      this.#waiting.set(req.id, { resolve, reject });
      this.#worker.postMessage(req);
    });
  }

  /** Resolves once the lines are committed to disk; lines keep their order. */
  append(lines: readonly string[]): Promise<void> {
    if (this.#closed) return Promise.reject(new Error('journal is closed'));
    if (lines.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      for (const l of lines) this.#pending.push(l);
      this.#pendingWaiters.push({ resolve: () => resolve(), reject });
      if (!this.#flushScheduled) {
        this.#flushScheduled = true;
        setImmediate(() => this.#flush());
      }
    });
  }

  // One message per event-loop turn: the worker commits it as one transaction.
  #flush(): void {
    this.#flushScheduled = false;
    const lines = this.#pending;
    const waiters = this.#pendingWaiters;
    this.#pending = [];
    this.#pendingWaiters = [];
    if (waiters.length === 0) return;
    this.#request({ type: 'append', id: this.#nextId++, lines }).then(
      () => {
        this.#depth += lines.length;
        this.#commits++;
        for (const w of waiters) w.resolve(0);
        for (const listener of this.#appendListeners) listener();
      },
      (err: Error) => {
        for (const w of waiters) w.reject(err);
      },
    );
  }

  /** The oldest `limit` committed lines, in append order. */
  peek(limit: number): SpooledLine[] {
    return this.#reader.peek(limit);
  }

  /** Removes every line up to `uptoId` and records `dead` in the same transaction. */
  async ack(uptoId: number, dead: readonly DeadLetter[] = [], atMs = Date.now()): Promise<number> {
    const removed = await this.#request({ type: 'ack', id: this.#nextId++, uptoId, dead, atMs });
    this.#depth -= removed;
    this.#deadLetters += dead.length;
    return removed;
  }

  depth(): number {
    return this.#depth;
  }

  commitCount(): number {
    return this.#commits;
  }

  deadLetterCount(): number {
    return this.#deadLetters;
  }

  deadLetters(limit = 100): Array<DeadLetter & { atMs: number }> {
    return this.#reader.deadLetters(limit);
  }

  onAppend(listener: () => void): () => void {
    this.#appendListeners.add(listener);
    return () => this.#appendListeners.delete(listener);
  }

  /** Commits what is pending, stops the worker and closes both connections. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#flush();
    this.#closed = true;
    try {
      if (this.#failed === null) await this.#request({ type: 'close', id: this.#nextId++ });
    } finally {
      await this.#worker.terminate();
      this.#reader.close();
    }
  }
}
