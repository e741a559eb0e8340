import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateNetwork } from '../../simulators/index.ts';
import { checkPlan } from '../envelope/check-plan.ts';
import { parseControlConfig } from './control-config.ts';
import { applyCounts, type IntersectionState } from './intersection-state.ts';
import { planTick } from './plan-tick.ts';

const cfg = parseControlConfig();
const t0 = Date.UTC(2026, 0, 12, 5, 0);

describe('planTick over generated networks', () => {
  it('every plan any controller sends satisfies the envelope, whatever the counts', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 2, max: 9 }),
        fc.constantFrom('fixed', 'webster', 'actuated', 'adaptive' as const),
        fc.array(
          fc.record({
            intensity: fc.integer({ min: 0, max: 60 }),
            queue: fc.option(fc.integer({ min: 0, max: 300 }), { nil: undefined }),
            silent: fc.boolean(),
          }),
          { minLength: 1, maxLength: 40 },
        ),
        (seed, size, controller, counts) => {
          const network = generateNetwork({ intersections: size, seed, buildings: 0 });
          const states = new Map<string, IntersectionState>();
          const byId = new Map(network.intersections.map((i) => [i.id, i]));
          for (let tick = 0; tick < 3; tick++) {
            const now = t0 + (tick + 1) * 90_000;
            network.cameras.forEach((cam, k) => {
              const c = counts[(k + tick) % counts.length];
              const i = byId.get(cam.intersectionId);
              if (!c || c.silent || !i) return;
              const state = states.get(i.id);
              if (!state) return;
              applyCounts(
                state,
                i,
                cam.approach,
                {
                  ts: now - 1000,
                  intervalS: 5,
                  intensity: c.intensity,
                  ...(c.queue === undefined ? {} : { queueLength: c.queue }),
                },
                cfg,
              );
            });
            const before = new Map([...states].map(([id, s]) => [id, s.lastPlan]));
            for (const d of planTick({ network, states, controller, nowMs: now, cfg })) {
              const junction = byId.get(d.intersectionId);
              if (!junction) throw new Error('unknown junction');
              if (d.plan)
                expect(
                  checkPlan(junction, d.plan, before.get(d.intersectionId) ?? null, cfg.envelope),
                ).toEqual([]);
              else expect(d.refused.length).toBeGreaterThan(0);
            }
          }
        },
      ),
      { numRuns: 40 },
    );
  }, 120_000);
});
