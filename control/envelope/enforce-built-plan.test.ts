import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crossIntersection, crossPlan } from '../test-support/cross-intersection.ts';
import { checkPlan, checkPlanRules, structuralReasons } from './check-plan.ts';
import { phaseRequirement } from './clearance.ts';
import { enforceBuiltPlan, enforceEnvelope } from './enforce-envelope.ts';
import { defaultEnvelopeConfig as cfg, parseEnvelopeConfig } from './envelope-config.ts';
import { indexIntersection } from './intersection-index.ts';

const junction = crossIntersection();

describe('enforceBuiltPlan: the envelope for our own plans, without the schema pass', () => {
  it('gives the same verdict as enforceEnvelope on schema-valid plans', () => {
    const previous = crossPlan([10, 30, 10, 25]);
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 900 }), { minLength: 4, maxLength: 4 }),
        fc.boolean(),
        (greensDs, withPrevious) => {
          const plan = crossPlan(greensDs.map((g) => g / 10));
          const prev = withPrevious ? previous : null;
          expect(enforceBuiltPlan(junction, plan, prev, cfg)).toEqual(enforceEnvelope(junction, plan, prev));
        },
      ),
    );
  });

  it('refuses a plan whose timings are not finite numbers', () => {
    const plan = crossPlan([10, 30, 10, 25]);
    const nanGreen = {
      ...plan,
      phases: plan.phases.map((p, i) => (i === 1 ? { ...p, greenS: Number.NaN } : p)),
    };
    const r = enforceBuiltPlan(junction, nanGreen, null, cfg);
    expect(r.ok).toBe(false);
    const inf = enforceBuiltPlan(junction, { ...plan, offsetS: Number.POSITIVE_INFINITY }, null, cfg);
    expect(inf.ok).toBe(false);
  });

  it('names a non-finite timing among the rules', () => {
    const plan = crossPlan([10, 30, 10, 25]);
    const bad = { ...plan, phases: plan.phases.map((p, i) => (i === 0 ? { ...p, yellowS: Number.NaN } : p)) };
    expect(checkPlanRules(junction, bad, null, cfg)).toContain(
      'phase NS-L: yellow NaN s is not a finite number',
    );
    expect(checkPlanRules(junction, { ...plan, cycleS: Number.POSITIVE_INFINITY }, null, cfg)).toContain(
      'cycle Infinity s is not a finite number',
    );
  });

  it('still refuses conflicting greens', () => {
    const plan = crossPlan([10, 30, 10, 25]);
    const bad = {
      ...plan,
      phases: plan.phases.map((p, i) => (i === 0 ? { ...p, movements: ['NL', 'EL'] } : p)),
    };
    const r = enforceBuiltPlan(junction, bad, null, cfg);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reasons).toContain('phase NS-L: conflicting movements NL and EL green together');
  });
});

describe('structuralReasons: the memoised verdict', () => {
  it('is keyed by the grouping, so a conflicting grouping checked after a good one is refused', () => {
    const j = crossIntersection({ id: 'I-memo' });
    const good = crossPlan([10, 30, 10, 25]);
    expect(structuralReasons(j, good.phases, cfg)).toEqual([]);
    const bad = good.phases.map((p, i) => (i === 1 ? { ...p, movements: [...p.movements, 'ET'] } : p));
    expect(structuralReasons(j, bad, cfg)).toContain(
      'phase NS: conflicting movements NT and ET green together',
    );
    expect(structuralReasons(j, good.phases, cfg)).toEqual([]);
  });

  it('is keyed by the stranded-movement rule too', () => {
    const j = crossIntersection({ id: 'I-memo-2' });
    const phases = crossPlan([10, 30, 10, 25]).phases.filter((p) => p.id !== 'EW-L');
    const lax = parseEnvelopeConfig({ requireAllVehicleMovements: false });
    expect(structuralReasons(j, phases, lax)).toEqual([]);
    expect(structuralReasons(j, phases, cfg)).toContain('movement EL is never served');
  });

  it('cannot be fooled by ids that run together', () => {
    const j = crossIntersection({ id: 'I-memo-3' });
    // Same characters, different grouping: NL with SL in one phase vs. a phase named "NL,SL".
    const a = [{ id: 'X', movements: ['NL', 'EL'] }];
    const b = [{ id: 'X', movements: ['NL,EL'] }];
    expect(structuralReasons(j, a, cfg)).toContain('phase X: conflicting movements NL and EL green together');
    expect(structuralReasons(j, b, cfg)).toContain('phase X: unknown movement NL,EL');
  });

  it('hands out a fresh array each time, so a caller adding reasons cannot poison the memo', () => {
    const j = crossIntersection({ id: 'I-memo-4' });
    const phases = crossPlan([10, 30, 10, 25]).phases;
    structuralReasons(j, phases, cfg).push('scribble');
    expect(structuralReasons(j, phases, cfg)).toEqual([]);
    expect(checkPlan(j, crossPlan([10, 30, 10, 25]), null, cfg)).toEqual([]);
  });
});

describe('phase requirements: the memo key', () => {
  it('never gives a joined id the requirement of the movements it spells', () => {
    const j = crossIntersection({ id: 'I-memo-5', speedKmh: 80 });
    const index = indexIntersection(j);
    const joined = phaseRequirement(['NT\u0000ST'], index, j.widthM, cfg);
    const real = phaseRequirement(['NT', 'ST'], index, j.widthM, cfg);
    expect(joined.minGreenS).toBe(cfg.minGreenOtherS);
    expect(real.minGreenS).toBe(cfg.minGreenThroughS);
    expect(real.yellowS).toBeGreaterThan(joined.yellowS);
  });
});
