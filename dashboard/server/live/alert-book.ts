import type { Alert } from '../../shared/contract.ts';
import { type Sequence, sameItem } from './versioned-map.ts';

/** The alert part of a delta: changes since a seq, or the whole list when those are forgotten. */
export interface AlertChanges {
  /** The whole current list (replaces the client's). */
  alerts?: Alert[];
  /** Alerts that appeared or changed: the client puts them in place of the ones it has. */
  alertsChanged?: Alert[];
  /** Ids of alerts that ended or dropped out of the list. */
  alertsCleared?: string[];
}

interface Entry {
  readonly alert: Alert;
  readonly seq: number;
}

/** Removals remembered for deltas; a client further behind gets the whole list. */
const DEFAULT_MAX_TOMBSTONES = 2000;

/**
 * The alert list every client sees, ordered and trimmed once per alert tick rather than once per
 * client, with each alert stamped by the seq of its last change and each removal remembered, so a
 * client's delta carries only the alerts that changed since its seq. The full list went out with
 * every delta before: 38.6 KB of a 46 KB street-view delta (benchmarks/README.md "Dashboard").
 */
export class AlertBook {
  private list: Alert[] = [];
  private readonly entries = new Map<string, Entry>();
  /** Removed ids by the seq of their removal, oldest removal first (Map keeps insertion order). */
  private readonly cleared = new Map<string, number>();
  /** Removals at or before this seq may be forgotten. */
  private horizon = 0;
  private lastSeq = 0;

  constructor(
    private readonly sequence: Sequence,
    private readonly maxTombstones = DEFAULT_MAX_TOMBSTONES,
  ) {}

  /** The current list, in display order. Callers must not change it. */
  get current(): readonly Alert[] {
    return this.list;
  }

  /** Replaces the list with `ordered` (already sorted and trimmed); true when anything changed. */
  set(ordered: readonly Alert[]): boolean {
    let changed = false;
    const ids = new Set<string>();
    for (const alert of ordered) {
      ids.add(alert.id);
      const e = this.entries.get(alert.id);
      if (e && sameItem(e.alert, alert)) {
        if (e.alert !== alert) this.entries.set(alert.id, { alert, seq: e.seq });
        continue;
      }
      this.entries.set(alert.id, { alert, seq: this.sequence.next() });
      this.cleared.delete(alert.id);
      changed = true;
    }
    for (const id of this.entries.keys()) {
      if (ids.has(id)) continue;
      this.entries.delete(id);
      this.cleared.delete(id);
      this.cleared.set(id, this.sequence.next());
      changed = true;
    }
    this.forgetOldRemovals();
    // A reorder alone (no alert changed) is not a change: clients order the list themselves.
    this.list = [...ordered];
    if (changed) this.lastSeq = this.sequence.current;
    return changed;
  }

  /** What changed after `sinceSeq`; undefined when nothing did. */
  changesSince(sinceSeq: number): AlertChanges | undefined {
    if (this.lastSeq <= sinceSeq) return undefined;
    if (sinceSeq < this.horizon) return { alerts: [...this.list] };
    const out: AlertChanges = {};
    const changed: Alert[] = [];
    for (const e of this.entries.values()) if (e.seq > sinceSeq) changed.push(e.alert);
    const cleared: string[] = [];
    for (const [id, seq] of this.cleared) if (seq > sinceSeq) cleared.push(id);
    if (changed.length > 0) out.alertsChanged = changed;
    if (cleared.length > 0) out.alertsCleared = cleared;
    return out;
  }

  private forgetOldRemovals(): void {
    for (const [id, seq] of this.cleared) {
      if (this.cleared.size <= this.maxTombstones) return;
      this.cleared.delete(id);
      this.horizon = Math.max(this.horizon, seq);
    }
  }
}
