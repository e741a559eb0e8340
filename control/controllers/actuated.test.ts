import { describe, expect, it } from 'vitest';
import { defaultEnvelopeConfig } from '../envelope/envelope-config.ts';
import { crossIntersection, storedPlan } from '../test-support/cross-intersection.ts';
import { actuatedDecision, actuatedPlan } from './actuated.ts';
import { defaultControllerConfig as cfg } from './controller-config.ts';
import { phaseTimings } from './phase-timing.ts';

describe('actuated control', () => {
  it('holds below the minimum green whatever the detectors say', () => {
    expect(
      actuatedDecision({ elapsedGreenS: 4, minGreenS: 7, maxGreenS: 40, gapS: 3, secondsSinceCall: 10 }),
    ).toBe('hold');
  });
  it('extends while calls keep coming within the gap', () => {
    expect(
      actuatedDecision({ elapsedGreenS: 12, minGreenS: 7, maxGreenS: 40, gapS: 3, secondsSinceCall: 2 }),
    ).toBe('hold');
  });
  it('gaps out when no vehicle arrived for the gap', () => {
    expect(
      actuatedDecision({ elapsedGreenS: 12, minGreenS: 7, maxGreenS: 40, gapS: 3, secondsSinceCall: 3 }),
    ).toBe('gap-out');
  });
  it('maxes out at the maximum green even under continuous demand', () => {
    expect(
      actuatedDecision({ elapsedGreenS: 40, minGreenS: 7, maxGreenS: 40, gapS: 3, secondsSinceCall: 0 }),
    ).toBe('max-out');
  });
  it('derives min, max and gap from the rules and the stored plan', () => {
    const junction = crossIntersection();
    const timings = phaseTimings(junction, defaultEnvelopeConfig);
    const plan = actuatedPlan(timings, storedPlan('day', [10, 30, 10, 25]), 0, cfg);
    expect(plan.gapS).toBe(3);
    expect(plan.phases.map((p) => p.maxGreenS)).toEqual([15, 45, 15, 37.5]);
    // minimum: 5 s turns, 15.8 s for phases with 14 m crossings (7 + 14 - 5.2)
    expect(plan.phases.map((p) => p.minGreenS)).toEqual([5, 15.8, 5, 15.8]);
    expect(plan.phases.map((p) => p.greenS)).toEqual([10, 30, 10, 25]);
  });
});
