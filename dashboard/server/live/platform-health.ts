import type { Health } from '../../shared/contract.ts';
import type { IngestStatus } from './live-status.ts';

/** No message for this long: the health line says lagging. */
export const LAGGING_AFTER_S = 15;
/** A spool this deep means InfluxDB is falling behind. */
export const LAGGING_SPOOL_DEPTH = 10_000;

export interface HealthInputs {
  /** The MQTT feed is connected and subscribed. */
  readonly feedUp: boolean;
  readonly ingest: IngestStatus | null;
  /** When the dashboard last received any message; null: never. */
  readonly lastMessageMs: number | null;
  /** Messages per second the dashboard itself saw (used when ingest reports no rate). */
  readonly observedRatePerS: number;
  /** Silent signals and cameras plus meters in outage. */
  readonly staleDevices: number;
}

const tenth = (x: number): number => Math.round(x * 10) / 10;

/**
 * The health strip: `disconnected` without the feed; `lagging` when data stopped arriving,
 * InfluxDB is unreachable or the spool is deep (the map may be live, history is not); else `live`.
 */
export function deriveHealth(h: HealthInputs, nowMs: number): Health {
  const dataAgeS = h.lastMessageMs === null ? null : Math.max(0, (nowMs - h.lastMessageMs) / 1000);
  const spoolDepth = h.ingest?.spoolDepth ?? 0;
  const lagging =
    dataAgeS === null ||
    dataAgeS > LAGGING_AFTER_S ||
    h.ingest?.influxReachable === false ||
    spoolDepth > LAGGING_SPOOL_DEPTH;
  return {
    status: !h.feedUp ? 'disconnected' : lagging ? 'lagging' : 'live',
    ingestRatePerS: tenth(h.ingest?.ingestRatePerS ?? h.observedRatePerS),
    rejectsPerS: h.ingest?.rejectsPerS ?? 0,
    spoolDepth,
    staleDevices: h.staleDevices,
    dataAgeS: dataAgeS === null ? null : tenth(dataAgeS),
  };
}

/** Counts messages between ticks and turns the count into a rate at each tick. */
export class MessageRate {
  private count = 0;
  private lastTickMs: number | null = null;
  private rate = 0;

  heard(): void {
    this.count += 1;
  }

  /** The rate over the time since the previous tick (the previous rate if no time passed). */
  tick(nowMs: number): number {
    if (this.lastTickMs !== null && nowMs > this.lastTickMs) {
      this.rate = (this.count * 1000) / (nowMs - this.lastTickMs);
    }
    this.lastTickMs = nowMs;
    this.count = 0;
    return this.rate;
  }
}
