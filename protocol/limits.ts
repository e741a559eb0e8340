/** Largest payload ingest accepts; bigger messages are refused with `payload_too_large`. */
export const MAX_PAYLOAD_BYTES = 64 * 1024;
/** Readings stamped further ahead than this are refused (device clock wrong). */
export const MAX_FUTURE_MS = 24 * 60 * 60 * 1000;
/** Readings older than this are refused (InfluxDB retention and replay window). */
export const MAX_PAST_MS = 30 * 24 * 60 * 60 * 1000;
/** At most this many bytes of a refused payload are kept in `ingest_rejects`. */
export const REJECT_SAMPLE_BYTES = 256;

/** True when `ts` lies inside the window ingest accepts at wall-clock time `nowMs`. */
export function timestampInWindow(ts: number, nowMs: number): boolean {
  return ts <= nowMs + MAX_FUTURE_MS && ts >= nowMs - MAX_PAST_MS;
}
