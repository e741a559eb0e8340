import Database from 'better-sqlite3';
import type { AuditEntry, AuditQuery } from '../../shared/contract.ts';

export type AuditRecord = Omit<AuditEntry, 'id'>;

interface AuditRow {
  id: number;
  ts: number;
  user: string;
  action: string;
  target: string | null;
  outcome: AuditEntry['outcome'];
  reason: string | null;
  details: string | null;
}

/**
 * The operators' audit trail in SQLite: who did what, when, why, and how it ended. Append-only
 * (there is no update or delete), and written before the API answers, so an acknowledged action
 * is always on record.
 */
export class AuditLog {
  readonly db: Database.Database;
  private readonly insert: Database.Statement<
    [number, string, string, string | null, string, string | null, string | null]
  >;

  constructor(path: string) {
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS audit (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        ts INTEGER NOT NULL,
        user TEXT NOT NULL,
        action TEXT NOT NULL,
        target TEXT,
        outcome TEXT NOT NULL,
        reason TEXT,
        details TEXT
      );
      CREATE INDEX IF NOT EXISTS audit_ts ON audit (ts);
      CREATE INDEX IF NOT EXISTS audit_user_ts ON audit (user, ts);
    `);
    this.insert = this.db.prepare(
      'INSERT INTO audit (ts, user, action, target, outcome, reason, details) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
  }

  record(r: AuditRecord): number {
    const info = this.insert.run(
      r.ts,
      r.user,
      r.action,
      r.target,
      r.outcome,
      r.reason,
      r.details === null ? null : JSON.stringify(r.details),
    );
    return Number(info.lastInsertRowid);
  }

  /** Newest first. Every filter is a bound parameter. */
  query(q: AuditQuery): AuditEntry[] {
    const where: string[] = [];
    const params: (string | number)[] = [];
    if (q.from !== undefined) {
      where.push('ts >= ?');
      params.push(q.from);
    }
    if (q.to !== undefined) {
      where.push('ts < ?');
      params.push(q.to);
    }
    if (q.user !== undefined) {
      where.push('user = ?');
      params.push(q.user);
    }
    const sql = `SELECT * FROM audit ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ts DESC, id DESC LIMIT ?`;
    const rows = this.db.prepare<(string | number)[], AuditRow>(sql).all(...params, q.limit);
    return rows.map((r) => ({
      ...r,
      details: r.details === null ? null : (JSON.parse(r.details) as Record<string, unknown>),
    }));
  }

  close(): void {
    this.db.close();
  }
}
