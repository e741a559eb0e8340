import { describe, expect, it } from 'vitest';
import { crossIntersection, crossPlan } from '../test-support/cross-intersection.ts';
import { checkPlan } from './check-plan.ts';
import { enforceEnvelope, fitSum } from './enforce-envelope.ts';
import { defaultEnvelopeConfig as cfg } from './envelope-config.ts';

const junction = crossIntersection();

function sum(plan: { phases: { greenS: number; yellowS: number; allRedS: number }[] }): number {
  return Math.round(plan.phases.reduce((s, p) => s + p.greenS + p.yellowS + p.allRedS, 0) * 10) / 10;
}

describe('enforceEnvelope', () => {
  it('passes a safe plan unchanged', () => {
    const plan = crossPlan([10, 30, 10, 25]);
    const r = enforceEnvelope(junction, plan, null);
    expect(r).toEqual({ ok: true, plan, adjustments: [] });
  });

  it('raises short clearance intervals and greens to the rules, and says so', () => {
    const r = enforceEnvelope(junction, crossPlan([3, 10, 5, 25], {}, 2, 0.5), null);
    if (!r.ok) throw new Error(r.reasons.join('; '));
    expect(r.plan.phases.map((p) => p.yellowS)).toEqual([3.3, 3.3, 3.3, 3.3]);
    expect(r.plan.phases.map((p) => p.allRedS)).toEqual([1.9, 1.9, 1.9, 1.9]);
    // NS-L turn-only 5 s; NS with 14 m crossings: 7 + 14 - (3.3 + 1.9) = 15.8 s
    expect(r.plan.phases.map((p) => p.greenS)).toEqual([5, 15.8, 5, 25]);
    expect(r.plan.cycleS).toBe(sum(r.plan));
    expect(r.adjustments).toContain('phase NS-L: green 3 -> 5 s');
    expect(checkPlan(junction, r.plan, null, cfg)).toEqual([]);
  });

  it('refuses conflicting movements instead of repairing them', () => {
    const plan = crossPlan([10, 30, 10, 25]);
    const bad = {
      ...plan,
      phases: plan.phases.map((p, i) => (i === 0 ? { ...p, movements: ['NL', 'EL'] } : p)),
    };
    const r = enforceEnvelope(junction, bad, null);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reasons).toContain('phase NS-L: conflicting movements NL and EL green together');
  });

  it('stretches a too-short cycle to the minimum', () => {
    const r = enforceEnvelope(crossIntersection({ crossingM: 2 }), crossPlan([5, 7, 5, 7]), null, {
      cycleMinS: 60,
    });
    if (!r.ok) throw new Error(r.reasons.join('; '));
    expect(r.plan.cycleS).toBe(60);
    expect(sum(r.plan)).toBe(60);
  });

  it('trims a too-long cycle to the maximum, keeping every minimum', () => {
    const r = enforceEnvelope(junction, crossPlan([40, 60, 40, 60]), null);
    if (!r.ok) throw new Error(r.reasons.join('; '));
    expect(r.plan.cycleS).toBe(150);
    expect(r.plan.phases.every((p) => p.greenS >= 5)).toBe(true);
  });

  it('limits the change from the previous plan', () => {
    const previous = crossPlan([10, 30, 10, 25]);
    const r = enforceEnvelope(junction, crossPlan([10, 80, 10, 60]), previous);
    if (!r.ok) throw new Error(r.reasons.join('; '));
    expect(r.plan.cycleS).toBeLessThanOrEqual(previous.cycleS + 30);
    expect(r.plan.phases[1]?.greenS).toBeLessThanOrEqual(55);
    expect(checkPlan(junction, r.plan, previous, cfg)).toEqual([]);
  });

  it('keeps actuated maxima within the cycle maximum', () => {
    const plan = crossPlan([10, 30, 10, 25]);
    const actuated = {
      ...plan,
      phases: plan.phases.map((p) => ({ ...p, minGreenS: 5, maxGreenS: 60 })),
      gapS: 3,
    };
    const r = enforceEnvelope(junction, actuated, null);
    if (!r.ok) throw new Error(r.reasons.join('; '));
    const longest = r.plan.phases.reduce((s, p) => s + (p.maxGreenS ?? 0) + p.yellowS + p.allRedS, 0);
    expect(longest).toBeLessThanOrEqual(150);
    // the through phase's actuated minimum honours its pedestrians
    expect(r.plan.phases[1]?.minGreenS).toBe(15.5);
  });

  it('steps an actuated plan toward a much shorter one instead of refusing it', () => {
    // Seen in `npm start`: the adaptive controller answered a long plan with actuated maxima far
    // below the running greens; bounded change must win over the proposal's own maxima.
    const previous = crossPlan([10, 100, 10, 25]);
    const plan = crossPlan([10, 30, 10, 25]);
    const proposal = {
      ...plan,
      phases: plan.phases.map((p) => ({ ...p, minGreenS: 5, maxGreenS: p.greenS + 5 })),
      gapS: 3,
    };
    const r = enforceEnvelope(junction, proposal, previous);
    if (!r.ok) throw new Error(r.reasons.join('; '));
    expect(r.plan.phases[1]?.greenS).toBe(75);
    expect(r.plan.phases[1]?.maxGreenS).toBeGreaterThanOrEqual(75);
    expect(checkPlan(junction, r.plan, previous, cfg)).toEqual([]);
    // and the next plan, from there, gets closer still
    const next = enforceEnvelope(junction, proposal, r.plan);
    if (!next.ok) throw new Error(next.reasons.join('; '));
    expect(next.plan.phases[1]?.greenS).toBe(50);
  });

  it('refuses a pedestrian need no green may meet', () => {
    const wide = crossIntersection({ crossingM: 100 });
    const r = enforceEnvelope(wide, crossPlan([10, 30, 10, 25]), null, { maxGreenS: 60 });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reasons[0]).toMatch(/phase NS: needs .* s green, above maximum 60 s/);
  });

  it('refuses a malformed plan', () => {
    const r = enforceEnvelope(junction, { ...crossPlan([10, 30, 10, 25]), offsetS: -1 }, null);
    expect(r.ok).toBe(false);
  });
});

describe('fitSum', () => {
  it('spreads a shortfall by room and meets the target exactly', () => {
    expect(
      fitSum(
        [10, 10],
        [
          { lo: 5, hi: 20 },
          { lo: 5, hi: 40 },
        ],
        50,
        60,
      ),
    ).toEqual([18, 32]);
  });
  it('returns null when the bounds cannot be met', () => {
    expect(
      fitSum(
        [10, 10],
        [
          { lo: 5, hi: 20 },
          { lo: 5, hi: 20 },
        ],
        50,
        60,
      ),
    ).toBeNull();
  });
});
