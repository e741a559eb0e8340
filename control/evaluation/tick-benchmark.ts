// `npx tsx control/evaluation/tick-benchmark.ts [400,4000] [70] [out.json]`: time `planTick`
// on a generated city, with fresh counts on every approach, in two cases:
// - all: every junction decided in one tick (the worst case: all at a cycle boundary at once);
// - boundary: only `decided` junctions per tick (a rotating slice), as in the loop, where only
//   the junctions at a cycle boundary are decided (4,000 / 60-100 s cycles = 40-70 per second).
// Each case reports the ratio against a baseline measured in the same run: the same tick with
// fixed-time control through the same envelope. Results go to stdout (JSON lines) and, when an
// output path is given, to a JSON file.
import { writeFileSync } from 'node:fs';
import type { Intersection } from '../../protocol/index.ts';
import { generateCity } from '../../simulators/index.ts';
import { parseControlConfig } from '../core/control-config.ts';
import { applyCounts, type IntersectionState, newIntersectionState } from '../core/intersection-state.ts';
import { planTick } from '../core/plan-tick.ts';

const sizes = (process.argv[2] ?? '400,4000').split(',').map(Number);
const decided = Number(process.argv[3] ?? 70);
const outPath = process.argv[4];
const cfg = parseControlConfig();
const t0 = Date.UTC(2026, 0, 12, 5, 0);
const results: Record<string, unknown>[] = [];
for (const n of sizes) {
  const { network } = generateCity({ intersections: n, seed: 5 });
  const byId = new Map(network.intersections.map((i) => [i.id, i]));
  const time = (controller: 'fixed' | 'adaptive', ticks: number, perTick: number | null) => {
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
      // The slice at a boundary this tick (selected before the clock starts, as the loop knows it).
      const slice = perTick === null ? null : boundarySlice(network.intersections, k, perTick);
      const start = performance.now();
      planTick(
        slice === null
          ? { network, states, controller, nowMs: now, cfg }
          : { network, states, controller, nowMs: now, cfg, only: (i) => slice.has(i) },
      );
      samples.push(performance.now() - start);
    }
    samples.sort((a, b) => a - b);
    return {
      medianMs: samples[Math.floor(samples.length / 2)] ?? 0,
      maxMs: samples[samples.length - 1] ?? 0,
    };
  };
  time('adaptive', 3, null); // warm-up: JIT and per-intersection caches
  for (const perTick of [null, decided]) {
    const ticks = perTick === null ? 7 : 41;
    const fixed = time('fixed', ticks, perTick);
    const adaptive = time('adaptive', ticks, perTick);
    const row = {
      intersections: n,
      decidedPerTick: perTick ?? n,
      ticks,
      fixedMedianMs: round(fixed.medianMs),
      adaptiveMedianMs: round(adaptive.medianMs),
      adaptiveMaxMs: round(adaptive.maxMs),
      adaptiveUsPerDecision: round((adaptive.medianMs * 1000) / (perTick ?? n)),
      ratioToFixed: round(adaptive.medianMs / fixed.medianMs),
    };
    results.push(row);
    process.stdout.write(`${JSON.stringify(row)}\n`);
  }
}
if (outPath) {
  const run = { date: new Date().toISOString(), node: process.version, command: process.argv.slice(1) };
  writeFileSync(outPath, `${JSON.stringify({ run, results }, null, 2)}\n`);
}

/** `count` junctions spread over the city, a different set each tick (as cycles end at different times). */
function boundarySlice(all: readonly Intersection[], tick: number, count: number): Set<Intersection> {
  const out = new Set<Intersection>();
  const stride = Math.max(1, Math.floor(all.length / count));
  for (let j = 0; j < count && j < all.length; j++) {
    const i = all[(j * stride + tick) % all.length];
    if (i) out.add(i);
  }
  return out;
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
