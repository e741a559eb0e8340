import type { OperatorRole } from '../../shared/contract.ts';

export interface SessionLimits {
  /** A session ends this long after login, whatever happens. */
  readonly ttlMs: number;
  /** A session ends after this long without a request. */
  readonly idleMs: number;
}

export const defaultSessionLimits: SessionLimits = { ttlMs: 12 * 3_600_000, idleMs: 30 * 60_000 };

/** An operator as the registry knows it now (broker `Registry.listOperators()` rows fit). */
export interface OperatorStanding {
  readonly name: string;
  readonly role: OperatorRole;
  /** When this account was (re-)created: a revoked operator added again is a new account. */
  readonly createdAt: number;
  readonly revokedAt: number | null;
}

/** Who a group of sessions belongs to, as recorded at login. */
export interface SessionHolder {
  readonly name: string;
  readonly role: OperatorRole;
  /** The account's `createdAt` at login; null when the directory could not say. */
  readonly operatorSince: number | null;
}

/** True once a session has outlived its absolute lifetime or sat idle too long. */
export function sessionExpired(
  s: { readonly createdMs: number; readonly lastSeenMs: number },
  limits: SessionLimits,
  nowMs: number,
): boolean {
  return nowMs - s.createdMs >= limits.ttlMs || nowMs - s.lastSeenMs >= limits.idleMs;
}

/**
 * The holders whose sessions must end: the operator is gone or revoked, has another role now
 * (a demoted admin must not keep admin rights until the session times out), or was revoked and
 * created again since the login (same name, different account).
 */
export function staleHolders(
  holders: readonly SessionHolder[],
  operators: readonly OperatorStanding[],
): SessionHolder[] {
  const active = new Map<string, OperatorStanding>();
  for (const o of operators) if (o.revokedAt === null) active.set(o.name, o);
  return holders.filter((h) => {
    const o = active.get(h.name);
    if (!o || o.role !== h.role) return true;
    return h.operatorSince !== null && h.operatorSince !== o.createdAt;
  });
}

/**
 * How far the stored last-seen time may lag behind the truth. Writing it on every request would
 * turn each read into a disk write; a lag of 1/30 of the idle limit (at most a minute) only
 * shortens the idle window by that much.
 */
export function lastSeenGranularityMs(limits: SessionLimits): number {
  return Math.min(60_000, Math.floor(limits.idleMs / 30));
}
