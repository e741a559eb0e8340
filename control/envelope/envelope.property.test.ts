import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PlanPhase, SignalPlan } from '../../protocol/index.ts';
import { crossIntersection } from '../test-support/cross-intersection.ts';
import { checkPlan } from './check-plan.ts';
import { enforceEnvelope } from './enforce-envelope.ts';
import { parseEnvelopeConfig } from './envelope-config.ts';
import { indexIntersection } from './intersection-index.ts';

const movementIds = ['N', 'E', 'S', 'W'].flatMap((a) => [`${a}L`, `${a}T`, `${a}R`, `P${a}`]);

const junctionArb = fc.record({
  speedKmh: fc.integer({ min: 20, max: 90 }),
  widthM: fc.integer({ min: 6, max: 60 }),
  crossingM: fc.integer({ min: 3, max: 30 }),
});

const phaseArb = fc.record({
  movements: fc.uniqueArray(fc.constantFrom(...movementIds), { minLength: 1, maxLength: 8 }),
  greenS: fc.double({ min: 0, max: 300, noNaN: true }),
  yellowS: fc.double({ min: 0, max: 10, noNaN: true }),
  allRedS: fc.double({ min: 0, max: 10, noNaN: true }),
  walkS: fc.option(fc.double({ min: 0, max: 120, noNaN: true }), { nil: undefined }),
  actuated: fc.boolean(),
});

/** Operator or controller requests: random groupings of movements (often conflicting) and timings. */
const planArb = fc.record({
  phases: fc.array(phaseArb, { minLength: 1, maxLength: 6 }),
  offsetS: fc.double({ min: 0, max: 600, noNaN: true }),
  cycleS: fc.double({ min: 1, max: 600, noNaN: true }),
  knownPhases: fc.boolean(),
});

type PlanRequest = typeof planArb extends fc.Arbitrary<infer T> ? T : never;

function toPlan(req: PlanRequest): SignalPlan {
  const base = req.knownPhases
    ? [
        ['NL', 'SL'],
        ['NT', 'NR', 'ST', 'SR', 'PE', 'PW'],
        ['EL', 'WL'],
        ['ET', 'ER', 'WT', 'WR', 'PN', 'PS'],
      ].map((movements, i) => ({
        ...(req.phases[i % req.phases.length] as (typeof req.phases)[number]),
        movements,
      }))
    : req.phases;
  const phases: PlanPhase[] = base.map((p, i) => ({
    id: `P${i}`,
    movements: p.movements,
    greenS: p.greenS,
    yellowS: p.yellowS,
    allRedS: p.allRedS,
    ...(p.walkS === undefined ? {} : { walkS: p.walkS }),
    ...(p.actuated ? { minGreenS: p.greenS / 2, maxGreenS: Math.min(300, p.greenS * 2) } : {}),
  }));
  return { ts: 1, planId: 'req', source: 'operator', cycleS: req.cycleS, offsetS: req.offsetS, phases };
}

describe('safety envelope properties', () => {
  it('every plan that leaves satisfies every rule, and never greens a conflict', () => {
    fc.assert(
      fc.property(junctionArb, planArb, fc.option(planArb, { nil: null }), (j, req, prevReq) => {
        const junction = crossIntersection(j);
        const cfg = parseEnvelopeConfig({});
        const prevResult = prevReq ? enforceEnvelope(junction, toPlan(prevReq), null) : null;
        const previous = prevResult?.ok ? prevResult.plan : null;
        const r = enforceEnvelope(junction, toPlan(req), previous);
        if (!r.ok) {
          expect(r.reasons.length).toBeGreaterThan(0);
          return;
        }
        expect(checkPlan(junction, r.plan, previous, cfg)).toEqual([]);
        const index = indexIntersection(junction);
        for (const p of r.plan.phases) {
          for (const a of p.movements) for (const b of p.movements) expect(index.conflicts(a, b)).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
  }, 60_000);

  it('a plan with two conflicting movements in one phase is always refused', () => {
    fc.assert(
      fc.property(junctionArb, planArb, fc.integer({ min: 0, max: 3 }), (j, req, which) => {
        const junction = crossIntersection(j);
        const plan = toPlan({ ...req, knownPhases: true });
        // Add a movement from another phase: in the fixture everything across phases conflicts.
        const intruder = ['ET', 'NT', 'WL', 'SL'][which] as string;
        const target = plan.phases.find((p) => !p.movements.includes(intruder)) as PlanPhase;
        target.movements = [...target.movements, intruder];
        const r = enforceEnvelope(junction, plan, null);
        expect(r.ok).toBe(false);
      }),
      { numRuns: 200 },
    );
  }, 60_000);

  it('hand-made plans with short clearance are either repaired to the rules or refused, never passed as is', () => {
    fc.assert(
      fc.property(junctionArb, fc.double({ min: 0, max: 2.9, noNaN: true }), (j, yellow) => {
        const junction = crossIntersection(j);
        const plan = toPlan({
          phases: [{ movements: ['NT'], greenS: 20, yellowS: yellow, allRedS: 0, walkS: 7, actuated: false }],
          offsetS: 0,
          cycleS: 80,
          knownPhases: true,
        });
        const r = enforceEnvelope(junction, plan, null);
        if (r.ok) {
          for (const p of r.plan.phases) {
            expect(p.yellowS).toBeGreaterThanOrEqual(3);
            expect(p.allRedS).toBeGreaterThanOrEqual(1);
          }
        }
      }),
      { numRuns: 200 },
    );
  }, 60_000);
});
