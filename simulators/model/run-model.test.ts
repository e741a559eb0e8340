import { describe, expect, it } from 'vitest';
import { generateNetwork } from '../network/generate-network.ts';
import { createTrafficModel } from './create-traffic-model.ts';
import { createRealTimeDriver, type DriverClock, runFast } from './run-model.ts';

const START = Date.UTC(2026, 0, 12, 5, 0);

/** A hand-driven clock: timers fire only when the test advances it. */
function fakeClock(startMs: number) {
  let now = startMs;
  let seq = 0;
  const timers = new Map<number, { at: number; fn: () => void }>();
  const clock: DriverClock = {
    now: () => now,
    setTimer(fn, ms) {
      seq++;
      timers.set(seq, { at: now + ms, fn });
      return seq;
    },
    clearTimer(handle) {
      timers.delete(handle as number);
    },
  };
  const advance = (ms: number) => {
    const until = now + ms;
    for (;;) {
      const due = [...timers].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      timers.delete(due[0]);
      now = Math.max(now, due[1].at);
      due[1].fn();
    }
    now = until;
  };
  return { clock, advance, pending: () => timers.size };
}

describe('running the model', () => {
  const net = generateNetwork({ intersections: 16, seed: 2, buildings: 0 });

  it('gives the same results paced by a clock as run as fast as possible', () => {
    const fast = createTrafficModel(net, { seed: 7, startMs: START });
    runFast(fast, 600);

    const paced = createTrafficModel(net, { seed: 7, startMs: START });
    const { clock, advance } = fakeClock(1_000_000);
    let steps = 0;
    const driver = createRealTimeDriver(paced, { clock, onStep: () => steps++ });
    driver.start();
    // Uneven wake-ups, including a stall of several seconds the driver must catch up on.
    const gaps = [350, 1200, 90, 4700, 640, 1000];
    for (let k = 0; paced.timeS < 600 && k < 10_000; k++) {
      advance(gaps[k % gaps.length] as number);
      if (paced.timeS >= 600) break;
    }
    driver.stop();
    // The last wake-up may have run a few steps past 600 s: compare at the same model time.
    const extra = paced.timeS - 600;
    runFast(fast, extra);
    expect(paced.timeS).toBe(fast.timeS);
    expect(steps).toBe(paced.timeS);
    expect(paced.metrics()).toEqual(fast.metrics());
  });

  it('follows wall time and stops when told', () => {
    const m = createTrafficModel(net, { seed: 1, startMs: START });
    const { clock, advance, pending } = fakeClock(0);
    const driver = createRealTimeDriver(m, { clock });
    driver.start();
    advance(10_500);
    expect(m.timeS).toBe(10);
    driver.stop();
    expect(driver.running).toBe(false);
    expect(pending()).toBe(0);
    advance(5_000);
    expect(m.timeS).toBe(10);
  });

  it('runs faster than real time when asked to', () => {
    const m = createTrafficModel(net, { seed: 1, startMs: START });
    const { clock, advance } = fakeClock(0);
    const driver = createRealTimeDriver(m, { clock, speed: 10 });
    driver.start();
    advance(3_000);
    driver.stop();
    expect(m.timeS).toBe(30);
  });

  it('runFast covers the span in whole steps', () => {
    const m = createTrafficModel(net, { seed: 1, startMs: START, stepS: 0.5 });
    let calls = 0;
    runFast(m, 10, () => calls++);
    expect(calls).toBe(20);
    expect(m.timeS).toBe(10);
  });
});
