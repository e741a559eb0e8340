/**
 * Publish and connection schedules, as pure functions of time. A group of `n` devices with
 * period P publishes on evenly staggered slots: slot s falls at s·P/n ms after the start and
 * belongs to device s mod n, so the group offers a smooth n/P messages per ms instead of bursts.
 */

/** Slot numbers whose time lies in (fromMs, toMs], relative to the schedule start. */
export function slotsBetween(
  n: number,
  periodMs: number,
  fromMs: number,
  toMs: number,
): { first: number; end: number } {
  const first = Math.floor((Math.max(fromMs, -1) * n) / periodMs) + 1;
  const end = Math.floor((toMs * n) / periodMs) + 1;
  return { first: Math.max(0, first), end: Math.max(0, end) };
}

/** Device indices due in (fromMs, toMs], in slot order (a device may appear twice after a long stall). */
export function dueDevices(n: number, periodMs: number, fromMs: number, toMs: number): number[] {
  if (n <= 0 || toMs <= fromMs) return [];
  const { first, end } = slotsBetween(n, periodMs, fromMs, toMs);
  const out: number[] = [];
  for (let s = first; s < end; s++) out.push(s % n);
  return out;
}

/** When connection `i` of a fleet opened at `ratePerSec` should start, ms after the ramp start. */
export function connectAt(i: number, ratePerSec: number): number {
  return (i * 1000) / ratePerSec;
}

/** How many connections should have been started `elapsedMs` into a ramp (capped at `total`). */
export function connectionsDue(elapsedMs: number, ratePerSec: number, total: number): number {
  if (elapsedMs < 0) return 0;
  return Math.min(total, Math.floor((elapsedMs * ratePerSec) / 1000) + 1);
}

/**
 * Offered-load steps for a saturation sweep: fractions of a measured capacity, up to and past
 * the knee (e.g. capacity 10,000 and [0.25, 1, 2] → 2,500, 10,000, 20,000 msgs/s).
 */
export function sweepSteps(capacityPerSec: number, fractions: readonly number[]): number[] {
  return fractions.map((f) => Math.max(1, Math.round(capacityPerSec * f)));
}
