import type { MeterKind } from '../../../protocol/ids.ts';
import type { MeterReading } from '../../../protocol/meter-reading.ts';
import type { Building } from '../../../protocol/network.ts';
import type { LiveMeter } from '../../shared/contract.ts';
import { applyReading, emptyTrack, type MeterRules, type MeterTrack, meterAnomaly } from './meter-anomaly.ts';
import type { Sequence } from './versioned-map.ts';
import { VersionedMap } from './versioned-map.ts';

/**
 * The share of each kind's meters whose register moved within the stuck window: the "stuck"
 * rule needs it, since a register that stands still while most of its kind move is stuck, but
 * a quiet hour for everyone is just a quiet hour.
 */
export function movingShareByKind(
  tracks: Iterable<MeterTrack>,
  stuckAfterMs: number,
): Map<MeterKind, number> {
  const counts = new Map<MeterKind, { moved: number; all: number }>();
  for (const t of tracks) {
    const c = counts.get(t.kind) ?? { moved: 0, all: 0 };
    c.all += 1;
    if (t.lastChangeTs > 0 && t.ts - t.lastChangeTs < stuckAfterMs) c.moved += 1;
    counts.set(t.kind, c);
  }
  const shares = new Map<MeterKind, number>();
  for (const [kind, c] of counts) shares.set(kind, c.all > 0 ? c.moved / c.all : 0);
  return shares;
}

/** Every meter of the city: its live item (value, rate, anomaly) and what the anomaly rules remember. */
/** A meter that has not reported yet. */
export function emptyLiveMeter(id: string, buildingId: string, kind: MeterKind): LiveMeter {
  return { id, buildingId, kind, value: null, rate: null, anomaly: null, ts: 0 };
}

export class MeterFleet {
  readonly items: VersionedMap<LiveMeter>;
  private readonly tracks = new Map<string, MeterTrack>();

  constructor(
    buildings: readonly Building[],
    seq: Sequence,
    private readonly rules: MeterRules,
  ) {
    this.items = new VersionedMap(seq);
    for (const b of buildings) {
      for (const m of b.meters) {
        this.tracks.set(m.id, emptyTrack(m.kind));
        this.items.init(m.id, emptyLiveMeter(m.id, b.id, m.kind));
      }
    }
  }

  /** Folds one reading in; readings of meters the network does not know are ignored. */
  fold(meterId: string, r: MeterReading): void {
    const track = this.tracks.get(meterId);
    const item = this.items.get(meterId);
    if (!track || !item) return;
    const next = applyReading(track, r, this.rules);
    this.tracks.set(meterId, next);
    this.items.put(meterId, { ...item, value: next.value, rate: next.rate, ts: next.ts });
  }

  /** Re-evaluates every meter's anomaly (they change with time alone: outage, stuck). */
  tick(nowMs: number, watchedSinceMs: number): void {
    const shares = movingShareByKind(this.tracks.values(), this.rules.stuckAfterMs);
    for (const [id, t] of this.tracks) {
      const anomaly = meterAnomaly(t, nowMs, shares.get(t.kind) ?? 0, watchedSinceMs, this.rules);
      const item = this.items.get(id);
      if (item && item.anomaly !== anomaly) this.items.put(id, { ...item, anomaly });
    }
  }

  /** Meters that stopped reporting. */
  inOutage(): number {
    let n = 0;
    for (const m of this.items.values()) if (m.anomaly === 'outage') n += 1;
    return n;
  }
}
