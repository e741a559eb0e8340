export interface RestartPolicy {
  /** Delay before the first restart after a crash, ms. */
  readonly minMs: number;
  /** Upper bound of the doubling delay, ms. */
  readonly maxMs: number;
  /** A worker up this long counts as healthy again: its next crash starts from minMs. */
  readonly stableMs: number;
}

export const defaultRestartPolicy: RestartPolicy = Object.freeze({
  minMs: 250,
  maxMs: 10_000,
  stableMs: 30_000,
});

/**
 * How long to wait before restarting a worker that exited, given how many times in a row it died
 * without staying up `stableMs`: doubling from minMs, capped at maxMs, so a worker that cannot
 * start (port taken, disk full) does not spin the CPU, and one that crashed once is back at once.
 */
export function restartDelayMs(consecutiveCrashes: number, policy: RestartPolicy): number {
  const n = Math.max(1, consecutiveCrashes);
  return Math.min(policy.maxMs, policy.minMs * 2 ** Math.min(n - 1, 30));
}

/** The crash count after a worker that was up `upMs` exited. */
export function nextCrashCount(previous: number, upMs: number, policy: RestartPolicy): number {
  return upMs >= policy.stableMs ? 1 : previous + 1;
}
