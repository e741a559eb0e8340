import type { TrafficModel } from './types.ts';

/** Steps the model as fast as possible for `seconds` of model time (rounded up to whole steps). */
export function runFast(model: TrafficModel, seconds: number, onStep?: (model: TrafficModel) => void): void {
  const n = Math.ceil(seconds / model.stepS - 1e-9);
  for (let k = 0; k < n; k++) {
    model.step();
    onStep?.(model);
  }
}

/** The clock and timer a real-time driver runs on: `Date.now`/`setTimeout` in production, a fake in tests. */
export interface DriverClock {
  now(): number;
  setTimer(fn: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
}

export interface RealTimeDriverOptions {
  readonly clock: DriverClock;
  /** Model seconds per wall second (default 1: real time). */
  readonly speed?: number;
  /** Most steps taken in one wake-up, so a stalled process catches up without freezing (default 600). */
  readonly maxCatchUpSteps?: number;
  readonly onStep?: (model: TrafficModel) => void;
}

export interface RealTimeDriver {
  start(): void;
  stop(): void;
  readonly running: boolean;
}

/**
 * Paces a model by a handed-in clock: on every wake-up it takes as many steps as the clock says
 * are due, so the model's time follows wall time. It calls exactly `model.step()` in order, so
 * a paced run and `runFast` over the same span give identical results.
 */
export function createRealTimeDriver(model: TrafficModel, options: RealTimeDriverOptions): RealTimeDriver {
  const { clock } = options;
  const speed = options.speed ?? 1;
  const maxCatchUp = options.maxCatchUpSteps ?? 600;
  let handle: unknown = null;
  let origin = 0;
  let modelOrigin = 0;

  const tick = () => {
    handle = null;
    const dueS = modelOrigin + ((clock.now() - origin) / 1000) * speed;
    let k = 0;
    while (model.timeS + model.stepS <= dueS + 1e-9 && k < maxCatchUp) {
      model.step();
      options.onStep?.(model);
      k++;
    }
    const nextDueMs = origin + ((model.timeS + model.stepS - modelOrigin) / speed) * 1000;
    handle = clock.setTimer(tick, Math.max(0, nextDueMs - clock.now()));
  };

  return {
    start() {
      if (handle !== null) return;
      origin = clock.now();
      modelOrigin = model.timeS;
      handle = clock.setTimer(tick, (model.stepS / speed) * 1000);
    },
    stop() {
      if (handle !== null) clock.clearTimer(handle);
      handle = null;
    },
    get running() {
      return handle !== null;
    },
  };
}
