import Database from 'better-sqlite3';

/**
 * `FULL` fsyncs the WAL at every commit (survives power loss); `NORMAL` fsyncs only at
 * checkpoints (survives a killed process, may lose the last commits on power loss). See
 * docs/ingest.md for the measured cost; the platform default is FULL.
 */
export type JournalSync = 'FULL' | 'NORMAL';

export interface JournalOptions {
  readonly synchronous?: JournalSync;
}

export interface SpooledLine {
  readonly id: number;
  readonly line: string;
}

export interface DeadLetter {
  readonly line: string;
  /** The server's message for the line. */
  readonly error: string;
}

interface PendingAppend {
  readonly lines: readonly string[];
  resolve(): void;
  reject(err: unknown): void;
}

/**
 * The durable spool between `receive()` and InfluxDB: every accepted line is committed here
 * before its PUBACK, and leaves only once InfluxDB has it (`ack`) or refused it (dead letter).
 *
 * Appends arriving in the same event-loop turn share one transaction (group commit): one fsync
 * for many messages, and the event loop is never blocked per message.
 */
export class Journal {
  readonly #db: Database.Database;
  readonly #insert: Database.Statement<[string]>;
  readonly #peek: Database.Statement<[number], SpooledLine>;
  readonly #ack: Database.Statement<[number]>;
  readonly #insertDead: Database.Statement<[string, string, number]>;
  readonly #commitBatch: (batch: readonly PendingAppend[]) => void;
  readonly #settle: (uptoId: number, dead: readonly DeadLetter[], atMs: number) => number;
  #pending: PendingAppend[] = [];
  #flushScheduled = false;
  #depth: number;
  #deadLetters: number;
  #closed = false;
  #commits = 0;
  #appendListeners = new Set<() => void>();

  private constructor(db: Database.Database) {
    this.#db = db;
    db.exec(`
      CREATE TABLE IF NOT EXISTS spool (id INTEGER PRIMARY KEY AUTOINCREMENT, line TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS dead_letters (
        id INTEGER PRIMARY KEY AUTOINCREMENT, line TEXT NOT NULL, error TEXT NOT NULL, at_ms INTEGER NOT NULL);
    `);
    this.#insert = db.prepare('INSERT INTO spool (line) VALUES (?)');
    this.#peek = db.prepare<[number], SpooledLine>('SELECT id, line FROM spool ORDER BY id LIMIT ?');
    this.#ack = db.prepare('DELETE FROM spool WHERE id <= ?');
    this.#insertDead = db.prepare('INSERT INTO dead_letters (line, error, at_ms) VALUES (?, ?, ?)');
    this.#commitBatch = db.transaction((batch: readonly PendingAppend[]) => {
      for (const p of batch) for (const l of p.lines) this.#insert.run(l);
    });
    // Dead letters and the ack commit together: a crash in between can neither lose a refused
    // line nor record it twice.
    this.#settle = db.transaction((uptoId: number, dead: readonly DeadLetter[], atMs: number) => {
      for (const d of dead) this.#insertDead.run(d.line, d.error, atMs);
      return this.#ack.run(uptoId).changes;
    });
    this.#depth = (db.prepare('SELECT count(*) AS n FROM spool').get() as { n: number }).n;
    this.#deadLetters = (db.prepare('SELECT count(*) AS n FROM dead_letters').get() as { n: number }).n;
  }

  static open(path: string, options: JournalOptions = {}): Journal {
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
    return new Journal(db);
  }

  /** Resolves once the lines are committed to disk; lines keep their order. */
  append(lines: readonly string[]): Promise<void> {
    if (this.#closed) return Promise.reject(new Error('journal is closed'));
    if (lines.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.#pending.push({ lines, resolve, reject });
      if (!this.#flushScheduled) {
        this.#flushScheduled = true;
        setImmediate(() => this.#flush());
      }
    });
  }

  #flush(): void {
    this.#flushScheduled = false;
    const batch = this.#pending;
    this.#pending = [];
    if (batch.length === 0) return;
    try {
      this.#commitBatch(batch);
    } catch (err) {
      for (const p of batch) p.reject(err);
      return;
    }
    this.#commits++;
    for (const p of batch) {
      this.#depth += p.lines.length;
      p.resolve();
    }
    for (const listener of this.#appendListeners) listener();
  }

  /** The oldest `limit` lines, in append order. */
  peek(limit: number): SpooledLine[] {
    return this.#peek.all(limit);
  }

  /**
   * Removes every line up to and including `uptoId`, recording `dead` (lines InfluxDB refused)
   * in the same transaction. Returns how many lines it removed.
   */
  ack(uptoId: number, dead: readonly DeadLetter[] = [], atMs = Date.now()): number {
    const removed = this.#settle(uptoId, dead, atMs);
    this.#depth -= removed;
    this.#deadLetters += dead.length;
    return removed;
  }

  /** Lines waiting for InfluxDB. */
  depth(): number {
    return this.#depth;
  }

  /** Append transactions committed since open (group commit makes it far below the append count). */
  commitCount(): number {
    return this.#commits;
  }

  deadLetterCount(): number {
    return this.#deadLetters;
  }

  deadLetters(limit = 100): Array<DeadLetter & { atMs: number }> {
    return this.#db
      .prepare<[number], DeadLetter & { atMs: number }>(
        'SELECT line, error, at_ms AS atMs FROM dead_letters ORDER BY id DESC LIMIT ?',
      )
      .all(limit);
  }

  /** Calls `listener` after every commit of new lines; returns the unsubscribe function. */
  onAppend(listener: () => void): () => void {
    this.#appendListeners.add(listener);
    return () => this.#appendListeners.delete(listener);
  }

  /** Commits what is pending, then closes the database. */
  close(): void {
    if (this.#closed) return;
    this.#flush();
    this.#closed = true;
    this.#db.close();
  }
}
