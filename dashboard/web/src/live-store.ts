import type {
  Alert,
  Delta,
  Health,
  LiveCamera,
  LiveIntersection,
  LiveLink,
  LiveMeter,
  Snapshot,
} from '../../shared/contract.ts';

export type LiveKind = 'intersections' | 'links' | 'cameras' | 'meters' | 'alerts' | 'health';

/** What one snapshot or delta changed: per kind, the ids whose item was replaced. */
export interface LiveChange {
  readonly snapshot: boolean;
  readonly intersections: readonly LiveIntersection[];
  readonly links: readonly LiveLink[];
  readonly cameras: readonly LiveCamera[];
  readonly meters: readonly LiveMeter[];
  readonly alerts: boolean;
  readonly health: boolean;
}

/**
 * The browser's copy of the live city inside the viewport, kept from the server's `snapshot`
 * (replaces everything) and `delta` (replaces only the items it carries) events. Pure: no DOM,
 * no socket; the map and panels read it and draw.
 */
export class LiveStore {
  readonly intersections = new Map<string, LiveIntersection>();
  readonly links = new Map<string, LiveLink>();
  readonly cameras = new Map<string, LiveCamera>();
  readonly meters = new Map<string, LiveMeter>();
  readonly alerts = new Map<string, Alert>();
  health: Health | null = null;
  /** Sequence number and server time of the last event applied. */
  seq = -1;
  serverTs = 0;

  applySnapshot(s: Snapshot): LiveChange {
    this.intersections.clear();
    this.links.clear();
    this.cameras.clear();
    this.meters.clear();
    this.alerts.clear();
    putAll(this.intersections, s.intersections);
    putAll(this.links, s.links);
    putAll(this.cameras, s.cameras);
    putAll(this.meters, s.meters);
    putAll(this.alerts, s.alerts);
    this.health = s.health;
    this.seq = s.seq;
    this.serverTs = s.ts;
    return {
      snapshot: true,
      intersections: s.intersections,
      links: s.links,
      cameras: s.cameras,
      meters: s.meters,
      alerts: true,
      health: true,
    };
  }

  /** Applies a delta; one older than the last event applied is ignored (returns null). */
  applyDelta(d: Delta): LiveChange | null {
    if (d.seq <= this.seq) return null;
    this.seq = d.seq;
    this.serverTs = d.ts;
    putAll(this.intersections, d.intersections ?? []);
    putAll(this.links, d.links ?? []);
    putAll(this.cameras, d.cameras ?? []);
    putAll(this.meters, d.meters ?? []);
    // `alerts`, when present, is the full current list; `alertsChanged` are new or changed ones,
    // `alertsCleared` names the ones that ended.
    if (d.alerts) {
      this.alerts.clear();
      putAll(this.alerts, d.alerts);
    }
    putAll(this.alerts, d.alertsChanged ?? []);
    for (const id of d.alertsCleared ?? []) this.alerts.delete(id);
    if (d.health) this.health = d.health;
    return {
      snapshot: false,
      intersections: d.intersections ?? [],
      links: d.links ?? [],
      cameras: d.cameras ?? [],
      meters: d.meters ?? [],
      alerts:
        d.alerts !== undefined || (d.alertsChanged?.length ?? 0) > 0 || (d.alertsCleared?.length ?? 0) > 0,
      health: d.health !== undefined,
    };
  }

  /** Meters of one building, in id order. */
  metersOf(buildingId: string): LiveMeter[] {
    return [...this.meters.values()]
      .filter((m) => m.buildingId === buildingId)
      .sort((a, b) => a.id.localeCompare(b.id));
  }
}

function putAll<T extends { id: string }>(map: Map<string, T>, items: readonly T[]): void {
  for (const item of items) map.set(item.id, item);
}
