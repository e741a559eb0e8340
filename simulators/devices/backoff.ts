import type { Rng } from './seeded-rng.ts';

export interface BackoffOptions {
  /** Shortest wait, ms: even the first retry leaves the broker a moment. */
  readonly minMs?: number;
  /** Ceiling of the first attempt; doubles with every failed attempt. */
  readonly baseMs?: number;
  /** Ceiling the doubling stops at. */
  readonly maxMs?: number;
}

export const DEFAULT_BACKOFF = { minMs: 500, baseMs: 2_000, maxMs: 60_000 } as const;

/**
 * How long to wait before reconnect attempt `attempt` (0 = first retry after a drop): "full
 * jitter" exponential backoff, uniform between `minMs` and `min(maxMs, baseMs·2^attempt)`.
 * Devices that lost the broker at the same instant spread their retries over the whole window
 * instead of all knocking again after the same fixed period (a reconnect storm).
 */
export function reconnectDelayMs(attempt: number, rng: Rng, opts: BackoffOptions = {}): number {
  const minMs = opts.minMs ?? DEFAULT_BACKOFF.minMs;
  const baseMs = opts.baseMs ?? DEFAULT_BACKOFF.baseMs;
  const maxMs = Math.max(minMs, opts.maxMs ?? DEFAULT_BACKOFF.maxMs);
  const ceiling = Math.max(minMs, Math.min(maxMs, baseMs * 2 ** Math.min(Math.max(0, attempt), 30)));
  return minMs + rng() * (ceiling - minMs);
}
