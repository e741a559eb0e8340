import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { Intersection } from '../../../protocol/network.ts';
import type { SignalPlan } from '../../../protocol/signal-plan.ts';
import type { Override, OverrideRequest } from '../../shared/contract.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import { draftOverridePlan, overrideExpiry, releasePlan } from './override-plan.ts';

/** The safety envelope's verdict (control/index.ts `enforceEnvelope` has this shape). */
export type EnvelopeVerdict =
  | { readonly ok: true; readonly plan: SignalPlan; readonly adjustments: readonly string[] }
  | { readonly ok: false; readonly reasons: readonly string[] };

/** `enforceEnvelope(intersection, plan, previousPlan)` from control/index.ts. */
export type Envelope = (
  intersection: Intersection,
  plan: SignalPlan,
  previousPlan: SignalPlan | null,
) => EnvelopeVerdict;

export type PublishPlan = (intersectionId: string, plan: SignalPlan) => Promise<void>;

export type CreateOutcome =
  | { readonly status: 201; readonly override: Override; readonly adjustments: readonly string[] }
  | { readonly status: 404 | 422; readonly reasons: readonly string[] }
  | { readonly status: 502; readonly reasons: readonly string[] };

export type CancelOutcome =
  | { readonly status: 200; readonly override: Override }
  | { readonly status: 404 | 409 | 422 | 502; readonly reasons: readonly string[] };

interface OverrideRow {
  id: string;
  intersection_id: string;
  kind: Override['kind'];
  plan_id: string | null;
  phase_id: string | null;
  reason: string;
  user: string;
  created_at: number;
  expires_at: number;
  ended_at: number | null;
  status: Override['status'];
  plan: string;
}

export interface OverrideServiceOptions {
  readonly db: AuditLog;
  readonly intersections: ReadonlyMap<string, Intersection>;
  readonly envelope: Envelope;
  readonly publishPlan: PublishPlan;
  readonly utcOffsetMin: number;
}

function toOverride(r: OverrideRow, nowMs: number): Override {
  // An active row past its expiry is reported as expired even before the sweep records it.
  const status = r.status === 'active' && r.expires_at <= nowMs ? 'expired' : r.status;
  return {
    id: r.id,
    intersectionId: r.intersection_id,
    kind: r.kind,
    planId: r.plan_id,
    phaseId: r.phase_id,
    reason: r.reason,
    user: r.user,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    endedAt: r.ended_at,
    status,
    plan: JSON.parse(r.plan) as SignalPlan,
  };
}

/**
 * Operators' manual overrides: every request passes the same safety envelope as the control
 * loop, is published as an operator plan with an expiry of at most 60 minutes, and is audited
 * with who, when, what, why and the outcome, refusals included. Overrides live in the audit
 * database, so they survive a dashboard restart. One active override per intersection: a new one
 * supersedes the old. Requests are handled one at a time, so two operators cannot interleave.
 */
export class OverrideService {
  private readonly db: Database.Database;
  private chain: Promise<unknown> = Promise.resolve();

  constructor(private readonly o: OverrideServiceOptions) {
    this.db = o.db.db;
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS overrides (
        id TEXT PRIMARY KEY,
        intersection_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        plan_id TEXT,
        phase_id TEXT,
        reason TEXT NOT NULL,
        user TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        ended_at INTEGER,
        status TEXT NOT NULL,
        plan TEXT NOT NULL
      );
      CREATE INDEX IF NOT EXISTS overrides_status ON overrides (status, expires_at);
    `);
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.chain.then(fn, fn);
    this.chain = run.catch(() => undefined);
    return run;
  }

  create(user: string, req: OverrideRequest, nowMs: number): Promise<CreateOutcome> {
    return this.serial(async () => {
      const audit = (outcome: 'ok' | 'refused' | 'error', details: Record<string, unknown>): void => {
        this.o.db.record({
          ts: nowMs,
          user,
          action: 'override.create',
          target: req.intersectionId,
          outcome,
          reason: req.reason,
          details: { request: req, ...details },
        });
      };
      const intersection = this.o.intersections.get(req.intersectionId);
      if (!intersection) {
        const reasons = [`unknown intersection ${req.intersectionId}`];
        audit('refused', { reasons });
        return { status: 404, reasons };
      }
      const expiresAt = overrideExpiry(nowMs, req.minutes);
      const draft = draftOverridePlan(intersection, req, nowMs, expiresAt, this.o.utcOffsetMin);
      if (!draft.ok) {
        audit('refused', { reasons: draft.reasons });
        return { status: 422, reasons: draft.reasons };
      }
      // An operator's plan is a deliberate step change: no previous plan, so only the safety
      // rules bind (minimum green, clearance, conflicts, cycle bounds), not the smoothing limits.
      const verdict = this.o.envelope(intersection, draft.plan, null);
      if (!verdict.ok) {
        audit('refused', { reasons: verdict.reasons, plan: draft.plan });
        return { status: 422, reasons: [...verdict.reasons] };
      }
      try {
        await this.o.publishPlan(intersection.id, verdict.plan);
      } catch (err) {
        const reasons = [`publish failed: ${(err as Error).message}`];
        audit('error', { reasons, plan: verdict.plan });
        return { status: 502, reasons };
      }
      const row: OverrideRow = {
        id: randomUUID(),
        intersection_id: intersection.id,
        kind: req.kind,
        plan_id: req.kind === 'plan' ? (req.planId ?? null) : null,
        phase_id: req.kind === 'hold' ? (req.phaseId ?? null) : null,
        reason: req.reason,
        user,
        created_at: nowMs,
        expires_at: expiresAt,
        ended_at: null,
        status: 'active',
        plan: JSON.stringify(verdict.plan),
      };
      this.db.transaction(() => {
        this.db
          .prepare(
            "UPDATE overrides SET status = 'superseded', ended_at = ? WHERE intersection_id = ? AND status = 'active'",
          )
          .run(nowMs, intersection.id);
        this.db
          .prepare(
            `INSERT INTO overrides (id, intersection_id, kind, plan_id, phase_id, reason, user, created_at, expires_at, ended_at, status, plan)
             VALUES (@id, @intersection_id, @kind, @plan_id, @phase_id, @reason, @user, @created_at, @expires_at, @ended_at, @status, @plan)`,
          )
          .run(row);
      })();
      audit('ok', {
        overrideId: row.id,
        planId: verdict.plan.planId,
        expiresAt,
        adjustments: verdict.adjustments,
      });
      return { status: 201, override: toOverride(row, nowMs), adjustments: verdict.adjustments };
    });
  }

  /** Ends an active override now: publishes the scheduled plan with `expiresAt` = now. */
  cancel(user: string, id: string, nowMs: number): Promise<CancelOutcome> {
    return this.serial(async () => {
      const row = this.db.prepare<[string], OverrideRow>('SELECT * FROM overrides WHERE id = ?').get(id);
      if (!row) return { status: 404, reasons: [`unknown override ${id}`] };
      const audit = (outcome: 'ok' | 'refused' | 'error', details: Record<string, unknown>): void => {
        this.o.db.record({
          ts: nowMs,
          user,
          action: 'override.cancel',
          target: row.intersection_id,
          outcome,
          reason: null,
          details: { overrideId: id, ...details },
        });
      };
      if (row.status !== 'active' || row.expires_at <= nowMs) {
        const reasons = [`override ${id} is no longer active`];
        audit('refused', { reasons });
        return { status: 409, reasons };
      }
      const intersection = this.o.intersections.get(row.intersection_id);
      if (!intersection) return { status: 404, reasons: [`unknown intersection ${row.intersection_id}`] };
      const verdict = this.o.envelope(
        intersection,
        releasePlan(intersection, nowMs, this.o.utcOffsetMin),
        null,
      );
      if (!verdict.ok) {
        audit('refused', { reasons: verdict.reasons });
        return { status: 422, reasons: [...verdict.reasons] };
      }
      try {
        await this.o.publishPlan(intersection.id, verdict.plan);
      } catch (err) {
        const reasons = [`publish failed: ${(err as Error).message}`];
        audit('error', { reasons });
        return { status: 502, reasons };
      }
      this.db.prepare("UPDATE overrides SET status = 'cancelled', ended_at = ? WHERE id = ?").run(nowMs, id);
      audit('ok', { planId: verdict.plan.planId });
      return { status: 200, override: toOverride({ ...row, status: 'cancelled', ended_at: nowMs }, nowMs) };
    });
  }

  /**
   * Records overrides whose time ran out. Nothing is published: the controllers return to their
   * schedule at `expiresAt` on their own; this keeps the list and the audit trail true.
   */
  expire(nowMs: number): number {
    const due = this.db
      .prepare<[number], OverrideRow>("SELECT * FROM overrides WHERE status = 'active' AND expires_at <= ?")
      .all(nowMs);
    for (const r of due) {
      this.db
        .prepare("UPDATE overrides SET status = 'expired', ended_at = ? WHERE id = ?")
        .run(r.expires_at, r.id);
      this.o.db.record({
        ts: nowMs,
        user: r.user,
        action: 'override.expire',
        target: r.intersection_id,
        outcome: 'ok',
        reason: null,
        details: { overrideId: r.id, expiresAt: r.expires_at },
      });
    }
    return due.length;
  }

  /** Active overrides first, then the most recent ended ones. */
  list(nowMs: number, limit = 200): Override[] {
    return this.db
      .prepare<[number], OverrideRow>(
        "SELECT * FROM overrides ORDER BY (status = 'active') DESC, created_at DESC LIMIT ?",
      )
      .all(limit)
      .map((r) => toOverride(r, nowMs));
  }

  activeFor(intersectionId: string, nowMs: number): Override | null {
    const r = this.db
      .prepare<[string, number], OverrideRow>(
        "SELECT * FROM overrides WHERE intersection_id = ? AND status = 'active' AND expires_at > ? ORDER BY created_at DESC LIMIT 1",
      )
      .get(intersectionId, nowMs);
    return r ? toOverride(r, nowMs) : null;
  }
}
