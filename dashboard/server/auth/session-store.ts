import { createHash, randomBytes } from 'node:crypto';
import { chmodSync } from 'node:fs';
import Database from 'better-sqlite3';
import { OperatorRole } from '../../shared/contract.ts';
import {
  defaultSessionLimits,
  lastSeenGranularityMs,
  type OperatorStanding,
  type SessionHolder,
  type SessionLimits,
  sessionExpired,
  staleHolders,
} from './session-rules.ts';

export { defaultSessionLimits, type OperatorStanding, type SessionLimits } from './session-rules.ts';

export interface Session {
  /** The raw token the browser holds (signed, in the cookie); never stored. */
  readonly id: string;
  readonly name: string;
  readonly role: OperatorRole;
  readonly createdMs: number;
  lastSeenMs: number;
}

export interface SessionStoreOptions {
  /** SQLite file the sessions live in, so a restart logs nobody out. Absent: in memory. */
  readonly dbPath?: string | null;
}

interface SessionRow {
  name: string;
  role: string;
  operator_since: number | null;
  created_ms: number;
  last_seen_ms: number;
}

/** sha256 of a session token: what the database keeps, so a copy of it opens no session. */
export function hashSessionToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/**
 * Server-side sessions in SQLite: a random 256-bit token is all the browser holds, and the
 * database keeps only its sha256, so logging out or revoking really ends a session, a restart
 * logs nobody out, and a stolen database file opens nothing. Expiry is absolute and idle;
 * `sweep` purges the expired, `endStale` the sessions of revoked or changed operators.
 */
export class SessionStore {
  private readonly db: Database.Database;
  private readonly limits: SessionLimits;
  private readonly granularityMs: number;
  private readonly q: {
    insert: Database.Statement<[Buffer, string, string, number | null, number, number]>;
    get: Database.Statement<[Buffer], SessionRow>;
    seen: Database.Statement<[number, Buffer]>;
    remove: Database.Statement<[Buffer]>;
    removeUser: Database.Statement<[string]>;
    removeHolder: Database.Statement<[string, string, number | null]>;
    holders: Database.Statement<[], SessionRow>;
    purge: Database.Statement<[number, number]>;
    count: Database.Statement<[], { n: number }>;
  };

  constructor(limits: Partial<SessionLimits> = {}, options: SessionStoreOptions = {}) {
    this.limits = { ...defaultSessionLimits, ...limits };
    this.granularityMs = lastSeenGranularityMs(this.limits);
    const path = options.dbPath ?? ':memory:';
    this.db = new Database(path);
    // Only hashes inside, but still nobody else's business who is logged in.
    if (path !== ':memory:') chmodSync(path, 0o600);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS sessions (
        token_hash BLOB PRIMARY KEY,
        name TEXT NOT NULL,
        role TEXT NOT NULL,
        operator_since INTEGER,
        created_ms INTEGER NOT NULL,
        last_seen_ms INTEGER NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX IF NOT EXISTS sessions_name ON sessions (name);
    `);
    this.q = {
      insert: this.db.prepare(
        'INSERT INTO sessions (token_hash, name, role, operator_since, created_ms, last_seen_ms) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      get: this.db.prepare(
        'SELECT name, role, operator_since, created_ms, last_seen_ms FROM sessions WHERE token_hash = ?',
      ),
      seen: this.db.prepare('UPDATE sessions SET last_seen_ms = ? WHERE token_hash = ?'),
      remove: this.db.prepare('DELETE FROM sessions WHERE token_hash = ?'),
      removeUser: this.db.prepare('DELETE FROM sessions WHERE name = ?'),
      removeHolder: this.db.prepare(
        'DELETE FROM sessions WHERE name = ? AND role = ? AND operator_since IS ?',
      ),
      holders: this.db.prepare(
        'SELECT DISTINCT name, role, operator_since, 0 AS created_ms, 0 AS last_seen_ms FROM sessions',
      ),
      purge: this.db.prepare('DELETE FROM sessions WHERE created_ms <= ? OR last_seen_ms <= ?'),
      count: this.db.prepare('SELECT count(*) AS n FROM sessions'),
    };
  }

  /**
   * A new session for an operator who just proved their password. `operatorSince` is the
   * account's creation time, so a session does not outlive its account being revoked and re-made.
   */
  create(name: string, role: OperatorRole, nowMs: number, operatorSince: number | null = null): Session {
    const id = randomBytes(32).toString('base64url');
    this.q.insert.run(hashSessionToken(id), name, role, operatorSince, nowMs, nowMs);
    return { id, name, role, createdMs: nowMs, lastSeenMs: nowMs };
  }

  /** The live session for token `id`, refreshing its idle timer; expired sessions are dropped. */
  touch(id: string, nowMs: number): Session | null {
    const key = hashSessionToken(id);
    const row = this.q.get.get(key);
    if (!row) return null;
    const role = OperatorRole.safeParse(row.role);
    const s = { createdMs: row.created_ms, lastSeenMs: row.last_seen_ms };
    if (!role.success || sessionExpired(s, this.limits, nowMs)) {
      this.q.remove.run(key);
      return null;
    }
    if (nowMs - row.last_seen_ms >= this.granularityMs) this.q.seen.run(nowMs, key);
    return { id, name: row.name, role: role.data, createdMs: row.created_ms, lastSeenMs: nowMs };
  }

  destroy(id: string): void {
    this.q.remove.run(hashSessionToken(id));
  }

  /** Ends every session of an operator (revoked, or role changed). */
  destroyUser(name: string): void {
    this.q.removeUser.run(name);
  }

  /**
   * Ends the sessions of operators who were revoked, changed role or were made anew since they
   * logged in, given the registry's current list. Returns how many sessions ended.
   */
  endStale(operators: readonly OperatorStanding[]): number {
    const holders: SessionHolder[] = this.q.holders.all().map((r) => ({
      name: r.name,
      role: r.role as OperatorRole,
      operatorSince: r.operator_since,
    }));
    let ended = 0;
    for (const h of staleHolders(holders, operators)) {
      ended += this.q.removeHolder.run(h.name, h.role, h.operatorSince).changes;
    }
    return ended;
  }

  /** Drops expired sessions; returns how many remain. */
  sweep(nowMs: number): number {
    this.q.purge.run(nowMs - this.limits.ttlMs, nowMs - this.limits.idleMs);
    return this.q.count.get()?.n ?? 0;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
