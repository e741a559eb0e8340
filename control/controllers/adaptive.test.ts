import { describe, expect, it } from 'vitest';
import { defaultEnvelopeConfig } from '../envelope/envelope-config.ts';
import { crossIntersection } from '../test-support/cross-intersection.ts';
import { handDemand } from '../test-support/demand.ts';
import { adaptivePlan, equalSaturationSplit, laneGroupDelayS } from './adaptive.ts';
import { defaultControllerConfig as cfg } from './controller-config.ts';
import { phaseTimings } from './phase-timing.ts';

const junction = crossIntersection();
const timings = phaseTimings(junction, defaultEnvelopeConfig);
const green = (plan: { phases: { id: string; greenS: number }[] }, id: string) =>
  plan.phases.find((p) => p.id === id)?.greenS ?? Number.NaN;

describe('equalSaturationSplit', () => {
  it('splits by flow ratio', () => {
    expect(equalSaturationSplit(100, [0.3, 0.1], [10, 10])).toEqual([75, 25]);
  });
  it('pins a phase at its minimum and gives the rest to the others', () => {
    expect(equalSaturationSplit(100, [0.3, 0.01], [10, 10])).toEqual([90, 10]);
  });
});

describe('laneGroupDelayS', () => {
  it('is HCM uniform plus incremental delay', () => {
    // q 600, s 1800, g 30, C 60: x = 0.667, d1 = 7.5 / 0.667 = 11.25 s,
    // d2 = 225 (-0.333 + sqrt(0.111 + 4 x 0.667 / (900 x 0.25))) = 3.90 s
    expect(laneGroupDelayS(600, 1800, 30, 60)).toBeCloseTo(15.15, 1);
  });
});

describe('adaptive controller', () => {
  it('gives the heavier direction the longer green', () => {
    const plan = adaptivePlan(
      timings,
      handDemand(junction, { 'N-TR': 1200, 'S-TR': 1100, 'E-TR': 400 }),
      null,
      0,
      cfg,
    );
    expect(green(plan, 'NS')).toBeGreaterThan(green(plan, 'EW'));
  });

  it('runs short cycles at light demand and long ones near capacity', () => {
    const light = adaptivePlan(timings, handDemand(junction, { 'N-TR': 200, 'E-TR': 200 }), null, 0, cfg);
    const heavy = adaptivePlan(
      timings,
      handDemand(junction, { 'N-L': 250, 'N-TR': 1500, 'E-L': 250, 'E-TR': 1300 }),
      null,
      0,
      cfg,
    );
    expect(light.cycleS).toBeLessThan(70);
    expect(heavy.cycleS).toBeGreaterThan(light.cycleS + 30);
  });

  it('serves a standing queue with more green than the same flow without one', () => {
    const flows = { 'N-TR': 800, 'E-TR': 800 };
    const plain = adaptivePlan(timings, handDemand(junction, flows), null, 0, cfg);
    const queued = adaptivePlan(timings, handDemand(junction, flows, { 'E-TR': 30 }), null, 0, cfg);
    expect(green(queued, 'EW') / queued.cycleS).toBeGreaterThan(green(plain, 'EW') / plain.cycleS);
  });

  it('withholds green from a movement whose downstream link is full', () => {
    const flows = { 'N-TR': 900, 'E-TR': 900 };
    const free = adaptivePlan(timings, handDemand(junction, flows), null, 0, cfg);
    const blocked = adaptivePlan(timings, handDemand(junction, flows), null, 0, cfg, {
      downstreamFullness: new Map([['N-TR', 0.98]]),
    });
    expect(green(blocked, 'NS') / blocked.cycleS).toBeLessThan(green(free, 'NS') / free.cycleS);
  });

  it('moves the cycle by at most the step from the previous plan', () => {
    const light = adaptivePlan(timings, handDemand(junction, { 'N-TR': 200, 'E-TR': 200 }), null, 0, cfg);
    const heavy = adaptivePlan(
      timings,
      handDemand(junction, { 'N-L': 250, 'N-TR': 1500, 'E-L': 250, 'E-TR': 1300 }),
      light,
      0,
      cfg,
    );
    expect(heavy.cycleS).toBeLessThanOrEqual(light.cycleS + cfg.adaptive.maxCycleStepS + 0.1);
    expect(heavy.cycleS).toBeGreaterThan(light.cycleS);
  });

  it('takes the corridor cycle and offset when coordinated', () => {
    const plan = adaptivePlan(timings, handDemand(junction, { 'N-TR': 600 }), null, 0, cfg, {
      coordination: { cycleS: 90, offsetS: 12 },
    });
    expect(plan.cycleS).toBe(90);
    expect(plan.offsetS).toBe(12);
  });

  it('keeps every phase at or above its minimum green', () => {
    const plan = adaptivePlan(timings, handDemand(junction, { 'N-TR': 1700 }), null, 0, cfg);
    plan.phases.forEach((p, i) => {
      expect(p.greenS).toBeGreaterThanOrEqual(timings[i]?.minGreenS ?? 0);
    });
  });
});
