import { describe, expect, it } from 'vitest';
import { defaultEnvelopeConfig } from '../envelope/envelope-config.ts';
import { crossIntersection } from '../test-support/cross-intersection.ts';
import { handDemand } from '../test-support/demand.ts';
import { defaultControllerConfig as cfg } from './controller-config.ts';
import { phaseTimings } from './phase-timing.ts';
import { webster, websterPlan } from './webster.ts';

const bounds = { cycleMinS: 40, cycleMaxS: 150, maxY: 0.92 };

describe('Webster', () => {
  it('matches the textbook four-phase example', () => {
    // y = 0.25, 0.20, 0.15, 0.10 (Y = 0.70), L = 4 x 4 s = 16 s
    // C0 = (1.5 x 16 + 5) / (1 - 0.70) = 29 / 0.3 = 96.67 s -> 97 s
    // g_i = (97 - 16) y_i / Y = 81 x (0.357, 0.286, 0.214, 0.143) = 28.93, 23.14, 17.36, 11.57 s
    const w = webster([0.25, 0.2, 0.15, 0.1], 16, bounds);
    expect(w.cycleS).toBe(97);
    expect(w.Y).toBeCloseTo(0.7, 10);
    expect(w.effectiveGreensS.map((g) => Math.round(g * 100) / 100)).toEqual([28.93, 23.14, 17.36, 11.57]);
  });

  it('matches a two-phase example', () => {
    // Y = 0.7, L = 10: C0 = 20 / 0.3 = 66.7 -> 67 s; greens 57 x 4/7 = 32.57 and 57 x 3/7 = 24.43
    const w = webster([0.4, 0.3], 10, bounds);
    expect(w.cycleS).toBe(67);
    expect(w.effectiveGreensS[0]).toBeCloseTo(32.571, 2);
    expect(w.effectiveGreensS[1]).toBeCloseTo(24.429, 2);
  });

  it('runs the maximum cycle when demand is at capacity, and the minimum when there is none', () => {
    expect(webster([0.5, 0.45], 10, bounds).cycleS).toBe(150);
    expect(webster([0, 0], 10, bounds).cycleS).toBe(40);
  });

  it('times the fixture from measured lane-group flows', () => {
    const junction = crossIntersection();
    const timings = phaseTimings(junction, defaultEnvelopeConfig);
    // y: NS-L 180/1800 = 0.1, NS 1440/3600 = 0.4, EW-L 90/1800 = 0.05, EW 720/3600 = 0.2 -> Y = 0.75
    // lost per phase = 2 + (3.3 - 2) + 1.9 = 5.2 s, L = 20.8 s; C0 = 36.2 / 0.25 = 144.8 -> 145 s
    // greens = 124.2 x (0.1, 0.4, 0.05, 0.2) / 0.75 = 16.6, 66.2, 8.3, 33.1 s
    const demand = handDemand(junction, {
      'N-L': 180,
      'S-L': 100,
      'N-TR': 1440,
      'S-TR': 1000,
      'E-L': 90,
      'W-L': 60,
      'E-TR': 720,
      'W-TR': 500,
    });
    const plan = websterPlan(timings, demand, null, 1_700_000_000_000, cfg, null);
    expect(plan.cycleS).toBe(145);
    expect(plan.phases.map((p) => p.greenS)).toEqual([16.6, 66.2, 8.3, 33.1]);
    expect(plan.source).toBe('webster');
  });

  it('keeps its plan until the next recomputation', () => {
    const junction = crossIntersection();
    const timings = phaseTimings(junction, defaultEnvelopeConfig);
    const low = handDemand(junction, { 'N-TR': 400, 'E-TR': 400 });
    const high = handDemand(junction, { 'N-TR': 1400, 'E-TR': 1000 });
    const first = websterPlan(timings, low, null, 0, cfg, null);
    const kept = websterPlan(timings, high, first, 600_000, cfg, 0);
    expect(kept.cycleS).toBe(first.cycleS);
    const recomputed = websterPlan(timings, high, first, 900_000, cfg, 0);
    expect(recomputed.cycleS).toBeGreaterThan(first.cycleS);
  });
});
