import type { LonLat } from '../../../protocol/network.ts';
import type { Alert, Health, LiveCamera, LiveIntersection, LiveMeter } from '../../shared/contract.ts';

/** Congestion at or above this raises a warning, at or above `critical` a critical alert. */
export const CONGESTION_WARNING = 0.85;
export const CONGESTION_CRITICAL = 0.95;
/** Ingest refusing more than this many messages per second is a reject burst. */
export const REJECT_BURST_PER_S = 5;

export interface AlertInputs {
  readonly intersections: Iterable<LiveIntersection>;
  readonly cameras: Iterable<LiveCamera>;
  readonly meters: Iterable<LiveMeter>;
  /** Intersections whose signal controller went quiet. */
  readonly silentSignals: Iterable<string>;
  readonly health: Health;
  readonly positionOf: (entityId: string) => LonLat;
  readonly cityCenter: LonLat;
}

/**
 * The alerts the current live state raises. An alert keeps its `sinceMs` from `previous` while the
 * condition lasts, so operators see how long it has been going on, and disappears when it ends.
 */
export function deriveAlerts(
  inputs: AlertInputs,
  previous: ReadonlyMap<string, Alert>,
  nowMs: number,
): Map<string, Alert> {
  const out = new Map<string, Alert>();
  const raise = (a: Omit<Alert, 'id' | 'sinceMs' | 'position'>): void => {
    const id = `${a.kind}:${a.entityId}`;
    const position = a.kind === 'reject-burst' ? inputs.cityCenter : inputs.positionOf(a.entityId);
    out.set(id, { id, ...a, position, sinceMs: previous.get(id)?.sinceMs ?? nowMs });
  };
  for (const i of inputs.intersections) {
    if (i.congestion >= CONGESTION_WARNING) {
      raise({
        kind: 'congestion',
        severity: i.congestion >= CONGESTION_CRITICAL ? 'critical' : 'warning',
        entityId: i.id,
        message: `congestion ${Math.round(i.congestion * 100)}%, ${Math.round(i.queueVeh)} vehicles queued`,
      });
    }
    if (i.fallbackReason !== null) {
      raise({
        kind: 'fallback',
        severity: 'warning',
        entityId: i.id,
        message: `fallback: ${i.fallbackReason}`,
      });
    }
    if (i.faults.length > 0) {
      raise({
        kind: 'fault',
        severity: 'critical',
        entityId: i.id,
        message: `faults: ${i.faults.join(', ')}`,
      });
    }
  }
  for (const id of inputs.silentSignals) {
    raise({ kind: 'silent', severity: 'critical', entityId: id, message: 'signal controller silent' });
  }
  for (const c of inputs.cameras) {
    if (c.silent) raise({ kind: 'silent', severity: 'warning', entityId: c.id, message: 'camera silent' });
  }
  for (const m of inputs.meters) {
    if (m.anomaly === 'leak') {
      raise({ kind: 'leak', severity: 'warning', entityId: m.id, message: 'water flowing all night: leak?' });
    } else if (m.anomaly === 'outage') {
      raise({ kind: 'silent', severity: 'info', entityId: m.id, message: 'meter silent' });
    } else if (m.anomaly === 'stuck') {
      raise({ kind: 'fault', severity: 'info', entityId: m.id, message: 'meter register stuck' });
    }
  }
  if (inputs.health.rejectsPerS > REJECT_BURST_PER_S) {
    raise({
      kind: 'reject-burst',
      severity: 'warning',
      entityId: 'ingest',
      message: `ingest refusing ${inputs.health.rejectsPerS.toFixed(1)} messages/s`,
    });
  }
  return out;
}

/** Alerts ordered for display: most severe first, then oldest first. */
export function sortAlerts(alerts: Iterable<Alert>): Alert[] {
  const rank = { critical: 0, warning: 1, info: 2 } as const;
  return [...alerts].sort((a, b) => rank[a.severity] - rank[b.severity] || a.sinceMs - b.sinceMs);
}
