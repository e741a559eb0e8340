import type { CameraCounts } from '../../protocol/index.ts';
import { gaussian, type Rng } from './seeded-rng.ts';

/**
 * What the traffic model shows at one approach (the model's `observeApproach`): cumulative
 * counters, so a camera needs only the readings at the start and end of its interval.
 */
export interface ApproachObservation {
  /** Vehicles that crossed the stop line so far. */
  readonly departures: number;
  readonly queueVeh: number;
  /** Seconds the detection zone was occupied so far. */
  readonly occupiedS: number;
  /** Sum of the crossing vehicles' speeds so far, km/h. */
  readonly speedSumKmh: number;
}

/**
 * Failure modes of a field camera: `stuck` repeats its last counts, `silent` sends nothing,
 * `miscounting` scales the counts by `miscountFactor` (dirty lens, misaligned zone).
 */
export type CameraFault = 'none' | 'stuck' | 'silent' | 'miscounting';

export interface CameraOptions {
  readonly endMs: number;
  readonly intervalS: number;
  /** Relative standard deviation of the count and speed errors (0: a perfect camera). */
  readonly noise: number;
  readonly fault: CameraFault;
  readonly miscountFactor?: number;
  readonly rng: Rng;
  /** The camera's previous message (what a stuck camera repeats). */
  readonly last: CameraCounts | null;
}

/**
 * The counts message a camera sends for a finished window, or null when it sends none. Pure:
 * noise comes from the handed-in random source, time from `endMs`.
 */
export function cameraCountsFrom(
  start: ApproachObservation,
  end: ApproachObservation,
  opts: CameraOptions,
): CameraCounts | null {
  const ts = Math.floor(opts.endMs);
  switch (opts.fault) {
    case 'silent':
      return null;
    case 'stuck':
      if (opts.last) return { ...opts.last, ts, intervalS: opts.intervalS };
      break;
    case 'none':
    case 'miscounting':
      break;
  }
  const factor = opts.fault === 'miscounting' ? (opts.miscountFactor ?? 0.5) : 1;
  const crossed = Math.max(0, end.departures - start.departures);
  const intensity = clampInt(crossed * factor * (1 + opts.noise * gaussian(opts.rng)), 0, 100_000);
  const occupied = Math.max(0, end.occupiedS - start.occupiedS);
  const out: CameraCounts = {
    ts,
    intervalS: opts.intervalS,
    intensity,
    occupancy: round(clamp(occupied / opts.intervalS, 0, 1), 3),
    queueLength: clampInt(end.queueVeh * (1 + (opts.noise / 2) * gaussian(opts.rng)), 0, 10_000),
  };
  if (crossed > 0) {
    const speed =
      ((end.speedSumKmh - start.speedSumKmh) / crossed) * (1 + (opts.noise / 2) * gaussian(opts.rng));
    out.averageVehicleSpeed = round(clamp(speed, 0, 300), 1);
  }
  return out;
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}

function clampInt(x: number, lo: number, hi: number): number {
  return Math.round(clamp(Number.isFinite(x) ? x : 0, lo, hi));
}

function round(x: number, digits: number): number {
  const k = 10 ** digits;
  return Math.round(x * k) / k;
}
