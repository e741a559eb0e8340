import { randomBytes } from 'node:crypto';
import type { OperatorRole } from '../../shared/contract.ts';

export interface Session {
  readonly id: string;
  readonly name: string;
  readonly role: OperatorRole;
  readonly createdMs: number;
  lastSeenMs: number;
}

export interface SessionLimits {
  /** A session ends this long after login, whatever happens. */
  readonly ttlMs: number;
  /** A session ends after this long without a request. */
  readonly idleMs: number;
}

export const defaultSessionLimits: SessionLimits = { ttlMs: 12 * 3_600_000, idleMs: 30 * 60_000 };

/**
 * Server-side sessions in memory: a random 256-bit id is all the browser holds, so logging out
 * or revoking really ends a session, and a restart logs everyone out (they log in again).
 */
export class SessionStore {
  private readonly sessions = new Map<string, Session>();
  private readonly limits: SessionLimits;

  constructor(limits: Partial<SessionLimits> = {}) {
    this.limits = { ...defaultSessionLimits, ...limits };
  }

  create(name: string, role: OperatorRole, nowMs: number): Session {
    const s: Session = {
      id: randomBytes(32).toString('base64url'),
      name,
      role,
      createdMs: nowMs,
      lastSeenMs: nowMs,
    };
    this.sessions.set(s.id, s);
    return s;
  }

  /** The live session for `id`, refreshing its idle timer; expired sessions are dropped. */
  touch(id: string, nowMs: number): Session | null {
    const s = this.sessions.get(id);
    if (!s) return null;
    if (nowMs - s.createdMs >= this.limits.ttlMs || nowMs - s.lastSeenMs >= this.limits.idleMs) {
      this.sessions.delete(id);
      return null;
    }
    s.lastSeenMs = nowMs;
    return s;
  }

  destroy(id: string): void {
    this.sessions.delete(id);
  }

  /** Ends every session of an operator (revoked, or role changed). */
  destroyUser(name: string): void {
    for (const [id, s] of this.sessions) if (s.name === name) this.sessions.delete(id);
  }

  /** Drops expired sessions; returns how many remain. */
  sweep(nowMs: number): number {
    for (const id of [...this.sessions.keys()]) this.touchless(id, nowMs);
    return this.sessions.size;
  }

  private touchless(id: string, nowMs: number): void {
    const s = this.sessions.get(id);
    if (s && (nowMs - s.createdMs >= this.limits.ttlMs || nowMs - s.lastSeenMs >= this.limits.idleMs)) {
      this.sessions.delete(id);
    }
  }
}
