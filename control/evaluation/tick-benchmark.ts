// `npx tsx control/evaluation/tick-benchmark.ts [400,4000]`: time `planTick` deciding every
// junction of a generated city in one tick (the worst case: all at a boundary at once), with
// fresh counts on every approach, against a baseline of the same tick with fixed-time control.
import { generateCity } from '../../simulators/index.ts';
import { parseControlConfig } from '../core/control-config.ts';
import { applyCounts, type IntersectionState, newIntersectionState } from '../core/intersection-state.ts';
import { planTick } from '../core/plan-tick.ts';

const sizes = (process.argv[2] ?? '400,4000').split(',').map(Number);
const cfg = parseControlConfig();
const t0 = Date.UTC(2026, 0, 12, 5, 0);
const results: Record<string, unknown>[] = [];
for (const n of sizes) {
  const { network } = generateCity({ intersections: n, seed: 5 });
  const byId = new Map(network.intersections.map((i) => [i.id, i]));
  const time = (controller: 'fixed' | 'adaptive', ticks: number) => {
    const states = new Map<string, IntersectionState>(
      network.intersections.map((i) => [i.id, newIntersectionState()]),
    );
    const samples: number[] = [];
    for (let k = 0; k < ticks; k++) {
      const now = t0 + (k + 1) * 60_000;
      for (const cam of network.cameras) {
        const state = states.get(cam.intersectionId);
        const i = byId.get(cam.intersectionId);
        if (state && i)
          applyCounts(
            state,
            i,
            cam.approach,
            { ts: now, intervalS: 5, intensity: 1 + (k % 3), queueLength: k % 5 },
            cfg,
          );
      }
      const start = performance.now();
      planTick({ network, states, controller, nowMs: now, cfg });
      samples.push(performance.now() - start);
    }
    samples.sort((a, b) => a - b);
    return {
      medianMs: samples[Math.floor(samples.length / 2)] ?? 0,
      maxMs: samples[samples.length - 1] ?? 0,
    };
  };
  time('adaptive', 3); // warm-up: JIT and per-intersection caches
  const fixed = time('fixed', 7);
  const adaptive = time('adaptive', 7);
  const row = {
    intersections: n,
    fixedMedianMs: round(fixed.medianMs),
    adaptiveMedianMs: round(adaptive.medianMs),
    adaptiveMaxMs: round(adaptive.maxMs),
    ratioToFixed: round(adaptive.medianMs / fixed.medianMs),
  };
  results.push(row);
  process.stdout.write(`${JSON.stringify(row)}\n`);
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
