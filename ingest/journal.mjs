import Database from 'better-sqlite3';

// The spool's SQLite journal. Types and documentation: journal.d.mts. Plain JavaScript so the
// writer thread (spool-worker.mjs) runs it without a TypeScript loader.

export class Journal {
  #db;
  #insert;
  #peek;
  #ack;
  #insertDead;
  #commitBatch;
  #settle;
  #pending = [];
  #flushScheduled = false;
  #depth;
  #deadLetters;
  #closed = false;
  #commits = 0;
  #appendListeners = new Set();

  constructor(db) {
    this.#db = db;
    db.exec(`
      CREATE TABLE IF NOT EXISTS spool (id INTEGER PRIMARY KEY AUTOINCREMENT, line TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS dead_letters (
        id INTEGER PRIMARY KEY AUTOINCREMENT, line TEXT NOT NULL, error TEXT NOT NULL, at_ms INTEGER NOT NULL);
    `);
    this.#insert = db.prepare('INSERT INTO spool (line) VALUES (?)');
    this.#peek = db.prepare('SELECT id, line FROM spool ORDER BY id LIMIT ?');
    this.#ack = db.prepare('DELETE FROM spool WHERE id <= ?');
    this.#insertDead = db.prepare('INSERT INTO dead_letters (line, error, at_ms) VALUES (?, ?, ?)');
    this.#commitBatch = db.transaction((batch) => {
      for (const p of batch) for (const l of p.lines) this.#insert.run(l);
    });
    // Dead letters and the ack commit together: a crash in between can neither lose a refused
    // line nor record it twice.
    this.#settle = db.transaction((uptoId, dead, atMs) => {
      for (const d of dead) this.#insertDead.run(d.line, d.error, atMs);
      return this.#ack.run(uptoId).changes;
    });
    this.#depth = db.prepare('SELECT count(*) AS n FROM spool').get().n;
    this.#deadLetters = db.prepare('SELECT count(*) AS n FROM dead_letters').get().n;
  }

  static open(path, options = {}) {
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
    return new Journal(db);
  }

  append(lines) {
    if (this.#closed) return Promise.reject(new Error('journal is closed'));
    if (lines.length === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.#pending.push({ lines, resolve, reject });
      if (!this.#flushScheduled) {
        this.#flushScheduled = true;
        setImmediate(() => this.#flush());
      }
    });
  }

  #flush() {
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

  peek(limit) {
    return this.#peek.all(limit);
  }

  ack(uptoId, dead = [], atMs = Date.now()) {
    const removed = this.#settle(uptoId, dead, atMs);
    this.#depth -= removed;
    this.#deadLetters += dead.length;
    return removed;
  }

  depth() {
    return this.#depth;
  }

  commitCount() {
    return this.#commits;
  }

  deadLetterCount() {
    return this.#deadLetters;
  }

  deadLetters(limit = 100) {
    return this.#db
      .prepare('SELECT line, error, at_ms AS atMs FROM dead_letters ORDER BY id DESC LIMIT ?')
      .all(limit);
  }

  onAppend(listener) {
    this.#appendListeners.add(listener);
    return () => this.#appendListeners.delete(listener);
  }

  close() {
    if (this.#closed) return;
    this.#flush();
    this.#closed = true;
    this.#db.close();
  }
}
