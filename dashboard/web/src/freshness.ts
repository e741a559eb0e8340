import type { Health } from '../../shared/contract.ts';

/** No event for this long while connected: the feed has stalled (deltas come at least every few s). */
export const STALL_AFTER_MS = 15_000;
/** Newest device data older than this: what the map shows is no longer the city now. */
export const OLD_DATA_AFTER_S = 30;

export interface FreshnessInput {
  connected: boolean;
  /** Client clock when the last snapshot or delta arrived (null: none yet). */
  lastEventAtMs: number | null;
  health: Health | null;
  nowMs: number;
}

export interface Freshness {
  status: 'live' | 'lagging' | 'disconnected';
  /** True when the operator must be told the map may not show the city as it is now. */
  stale: boolean;
  /** Why it is stale, for the banner (null when fresh). */
  reason: string | null;
}

/** Decides what the health strip and the stale-data banner show. */
export function freshness({ connected, lastEventAtMs, health, nowMs }: FreshnessInput): Freshness {
  if (!connected) {
    return { status: 'disconnected', stale: true, reason: 'Disconnected from the server: reconnecting…' };
  }
  if (lastEventAtMs === null) {
    return { status: 'lagging', stale: true, reason: 'Waiting for live data…' };
  }
  const sinceEventS = Math.round((nowMs - lastEventAtMs) / 1000);
  if (nowMs - lastEventAtMs > STALL_AFTER_MS) {
    return { status: 'lagging', stale: true, reason: `No update from the server for ${sinceEventS} s` };
  }
  if (health === null) return { status: 'lagging', stale: true, reason: 'Waiting for live data…' };
  if (health.status === 'disconnected') {
    return { status: 'disconnected', stale: true, reason: 'The server lost its data feed' };
  }
  if (health.dataAgeS === null) {
    return { status: health.status, stale: true, reason: 'No device data received yet' };
  }
  if (health.dataAgeS > OLD_DATA_AFTER_S) {
    return { status: 'lagging', stale: true, reason: `Data is ${Math.round(health.dataAgeS)} s old` };
  }
  return { status: health.status, stale: false, reason: null };
}
