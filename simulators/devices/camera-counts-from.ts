import type { CameraCounts } from '../../protocol/index.ts';
import { gaussian, type Rng } from './seeded-rng.ts';

/** What the traffic model shows at one approach after a step (the model's `observeApproach`). */
export interface ApproachObservation {
  /** Cumulative vehicles that crossed the stop line. */
  readonly departures: number;
  readonly queueVeh: number;
  /** Fraction of the last step the detection zone was occupied. */
  readonly occupancy: number;
  readonly meanSpeedKmh: number | null;
}

/** What a camera has seen so far in its current counting interval. */
export interface CountWindow {
  readonly departuresAtStart: number;
  readonly departures: number;
  readonly occupancySum: number;
  readonly steps: number;
  readonly speedSum: number;
  readonly speedSteps: number;
  readonly queueVeh: number;
}

export function openWindow(obs: ApproachObservation): CountWindow {
  return {
    departuresAtStart: obs.departures,
    departures: obs.departures,
    occupancySum: 0,
    steps: 0,
    speedSum: 0,
    speedSteps: 0,
    queueVeh: obs.queueVeh,
  };
}

/** Adds one model step to the window. */
export function observe(w: CountWindow, obs: ApproachObservation): CountWindow {
  const speed = obs.meanSpeedKmh;
  const hasSpeed = speed !== null && Number.isFinite(speed);
  return {
    departuresAtStart: w.departuresAtStart,
    departures: obs.departures,
    occupancySum: w.occupancySum + obs.occupancy,
    steps: w.steps + 1,
    speedSum: w.speedSum + (hasSpeed ? speed : 0),
    speedSteps: w.speedSteps + (hasSpeed ? 1 : 0),
    queueVeh: obs.queueVeh,
  };
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
export function cameraCountsFrom(w: CountWindow, opts: CameraOptions): CameraCounts | null {
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
  const trueCount = Math.max(0, w.departures - w.departuresAtStart);
  const intensity = clampInt(trueCount * factor * (1 + opts.noise * gaussian(opts.rng)), 0, 100_000);
  const out: CameraCounts = {
    ts,
    intervalS: opts.intervalS,
    intensity,
    occupancy: round(clamp(w.steps > 0 ? w.occupancySum / w.steps : 0, 0, 1), 3),
    queueLength: clampInt(w.queueVeh * (1 + (opts.noise / 2) * gaussian(opts.rng)), 0, 10_000),
  };
  if (w.speedSteps > 0) {
    const speed = (w.speedSum / w.speedSteps) * (1 + (opts.noise / 2) * gaussian(opts.rng));
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
