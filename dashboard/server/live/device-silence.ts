/** A camera is silent after three of its counting intervals without counts. */
export const CAMERA_SILENT_INTERVALS = 3;
/** The interval assumed for a camera that has not reported one yet, s. */
export const DEFAULT_CAMERA_INTERVAL_S = 60;
/** A signal sends its state at least every 5 s; silent after this long by default. */
export const DEFAULT_SIGNAL_SILENT_MS = 15_000;

/**
 * Whether a device has gone silent: its retained status says offline, or nothing was heard from
 * it for `silentAfterMs`. Silence is counted from the later of its last message and the moment
 * the dashboard started watching, so a restart does not flag the whole city at once.
 */
export function isSilent(
  lastHeardMs: number,
  offline: boolean,
  watchedSinceMs: number,
  silentAfterMs: number,
  nowMs: number,
): boolean {
  return offline || nowMs - Math.max(lastHeardMs, watchedSinceMs) > silentAfterMs;
}

/** How long a camera may stay quiet: three of its own counting intervals. */
export function cameraSilentAfterMs(intervalS: number | undefined): number {
  return CAMERA_SILENT_INTERVALS * (intervalS ?? DEFAULT_CAMERA_INTERVAL_S) * 1000;
}
