import { performance } from 'node:perf_hooks';
import {
  applyCounts,
  type ControllerKind,
  type IntersectionState,
  newIntersectionState,
  parseControlConfig,
  planTick,
} from '../../control/index.ts';
import { generateNetwork } from '../../simulators/index.ts';
import { summarize } from '../lib/percentiles.ts';
import { cameraCounts } from '../load/payloads.ts';
import type { ControlFigure } from '../report/results.ts';

/**
 * Control loop time per tick: engineer CONTROL's `planTick` deciding every intersection of a
 * generated network (the worst case: all at a cycle boundary at once), with camera counts
 * applied so the adaptive controller has real demand. Baseline in the same run: the same tick
 * with the fixed-time controller (the machinery without the adaptive optimisation).
 */
export function controlTick(intersections: number, ticks: number, seed = 1): ControlFigure {
  const network = generateNetwork({ intersections, seed, buildings: 0 });
  const cfg = parseControlConfig({});
  const t0 = Date.UTC(2026, 10, 30, 8, 0, 0);
  const feed = (states: Map<string, IntersectionState>, nowMs: number, seq: number) => {
    for (const i of network.intersections) {
      let s = states.get(i.id);
      if (!s) {
        s = newIntersectionState();
        states.set(i.id, s);
      }
      for (const a of i.approaches)
        applyCounts(s, i, a.dir, cameraCounts(nowMs, seq + a.dir.charCodeAt(0), 60), cfg);
    }
  };
  const time = (controller: ControllerKind): number[] => {
    const states = new Map<string, IntersectionState>();
    const out: number[] = [];
    for (let k = 0; k < ticks; k++) {
      // A new minute of counts, then a tick two cycles later (controllers respect a minimum hold).
      const nowMs = t0 + k * 300_000;
      feed(states, nowMs, k);
      const start = performance.now();
      planTick({ network, states, controller, nowMs, cfg });
      out.push(performance.now() - start);
    }
    return out;
  };
  time('adaptive'); // warm-up: JIT and the downstream-link cache
  const base = summarize(time('fixed'));
  const adaptive = summarize(time('adaptive'));
  return { intersections, tickMs: adaptive, baselineMs: base.p50, ratio: adaptive.p50 / base.p50 };
}
