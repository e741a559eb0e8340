import { describe, expect, it } from 'vitest';
import { crossIntersection, crossPlan } from '../test-support/cross-intersection.ts';
import { checkPlan } from './check-plan.ts';
import { defaultEnvelopeConfig as cfg, parseEnvelopeConfig } from './envelope-config.ts';

const junction = crossIntersection();
const good = crossPlan([10, 30, 10, 25]);

function withPhase(index: number, patch: Record<string, unknown>) {
  const phases = good.phases.map((p, i) => (i === index ? { ...p, ...patch } : p));
  const cycleS = phases.reduce((s, p) => s + p.greenS + p.yellowS + p.allRedS, 0);
  return { ...good, phases, cycleS };
}

describe('checkPlan: the envelope rules one by one', () => {
  it('accepts a plan that satisfies every rule', () => {
    expect(checkPlan(junction, good, null, cfg)).toEqual([]);
  });

  it('refuses two conflicting movements green together', () => {
    const plan = withPhase(1, { movements: ['NT', 'ST', 'ET', 'PE', 'PW', 'NR', 'SR'] });
    expect(checkPlan(junction, plan, null, cfg)).toContain(
      'phase NS: conflicting movements NT and ET green together',
    );
  });

  it('refuses unknown movements', () => {
    const plan = withPhase(0, { movements: ['NL', 'SL', 'XX'] });
    expect(checkPlan(junction, plan, null, cfg)).toContain('phase NS-L: unknown movement XX');
  });

  it('refuses a plan that never serves a vehicle movement', () => {
    const phases = good.phases.filter((p) => p.id !== 'EW-L');
    const plan = {
      ...good,
      phases,
      cycleS: phases.reduce((s, p) => s + p.greenS + p.yellowS + p.allRedS, 0),
    };
    const reasons = checkPlan(junction, plan, null, cfg);
    expect(reasons).toContain('movement EL is never served');
    expect(reasons).toContain('movement WL is never served');
  });

  it('refuses a turn-only phase under 5 s green', () => {
    expect(checkPlan(junction, withPhase(0, { greenS: 4.9 }), null, cfg)).toContain(
      'phase NS-L: green 4.9 s < minimum 5 s',
    );
  });

  it('refuses a through phase under 7 s green', () => {
    const narrow = crossIntersection({ crossingM: 2 });
    expect(checkPlan(narrow, withPhase(3, { greenS: 6.5 }), null, cfg)).toContain(
      'phase EW: green 6.5 s < minimum 7 s',
    );
  });

  it('refuses green above the maximum', () => {
    expect(
      checkPlan(junction, withPhase(1, { greenS: 100 }), null, parseEnvelopeConfig({ maxGreenS: 90 })),
    ).toContain('phase NS: green 100 s > maximum 90 s');
  });

  it('refuses a yellow shorter than the ITE formula demands, or longer than 6 s', () => {
    expect(checkPlan(junction, withPhase(0, { yellowS: 3 }), null, cfg)).toContain(
      'phase NS-L: yellow 3 s < required 3.3 s',
    );
    expect(checkPlan(junction, withPhase(0, { yellowS: 6.5 }), null, cfg)).toContain(
      'phase NS-L: yellow 6.5 s > 6 s',
    );
  });

  it('refuses all-red below (W + L) / v or above 3 s', () => {
    expect(checkPlan(junction, withPhase(0, { allRedS: 1 }), null, cfg)).toContain(
      'phase NS-L: all-red 1 s < required 1.9 s',
    );
    expect(checkPlan(junction, withPhase(0, { allRedS: 3.5 }), null, cfg)).toContain(
      'phase NS-L: all-red 3.5 s > 3 s',
    );
  });

  it('refuses a missing walk and a green too short for the crossing', () => {
    const noWalk = withPhase(1, { walkS: undefined });
    expect(checkPlan(junction, noWalk, null, cfg)).toContain('phase NS: walk 0 s < 7 s');
    // 7 s walk + 14 s clearance - 5.5 s buffer = 15.5 s
    expect(checkPlan(junction, withPhase(1, { greenS: 15 }), null, cfg)).toContain(
      'phase NS: green 15 s < 15.5 s pedestrian walk + clearance',
    );
  });

  it('refuses a cycle that is not the sum of its phases', () => {
    expect(checkPlan(junction, { ...good, cycleS: good.cycleS + 5 }, null, cfg)).toContain(
      `cycle ${good.cycleS + 5} s is not the sum of its phases (${good.cycleS} s)`,
    );
  });

  it('refuses cycles outside the configured band', () => {
    const long = crossPlan([40, 50, 30, 50]);
    expect(checkPlan(junction, long, null, cfg)).toContain('cycle 192 s outside 40-150 s');
    expect(checkPlan(junction, good, null, parseEnvelopeConfig({ cycleMinS: 120 }))).toContain(
      'cycle 97 s outside 120-150 s',
    );
  });

  it('refuses an offset not below the cycle', () => {
    expect(checkPlan(junction, { ...good, offsetS: 97 }, null, cfg)).toContain(
      'offset 97 s not below the cycle',
    );
  });

  it('refuses large changes from the previous plan', () => {
    const next = crossPlan([10, 60, 10, 50]);
    const reasons = checkPlan(junction, next, good, cfg);
    expect(reasons).toContain('cycle changes by 55 s (limit 30 s)');
    expect(reasons).toContain('phase NS: green changes by 30 s (limit 25 s)');
  });

  it('bounds the longest actuated cycle', () => {
    const plan = withPhase(1, { minGreenS: 20, maxGreenS: 110 });
    expect(checkPlan(junction, plan, null, cfg)).toContain('longest actuated cycle 177 s > 150 s');
  });

  it('lets a flashing-yellow plan through: it shows no green', () => {
    expect(checkPlan(junction, { ...good, flash: true }, null, cfg)).toEqual([]);
  });

  it('refuses malformed plans by schema', () => {
    const bad = { ...good, cycleS: Number.NaN };
    expect(checkPlan(junction, bad, null, cfg)[0]).toMatch(/^schema: cycleS/);
  });
});
