import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PlanPhase, PlanSource, SignalPlan } from '../../protocol/index.ts';
import { SignalState } from '../../protocol/index.ts';
import { crossIntersection } from '../city/tiny-city.ts';
import {
  advanceExecutor,
  createExecutor,
  type ExecutorState,
  executorSignalState,
  type IntervalChange,
  movementColours,
  offerPlan,
} from './plan-executor.ts';
import { checkPlanSafety, minimumGreenS } from './plan-safety.ts';

const junction = crossIntersection('I1', [37.6, 55.75]);
/** Wednesday 2026-11-25 12:00 UTC: the weekday `day` plan (91 s, offset 0) runs. */
const WED_NOON = Date.UTC(2026, 10, 25, 12, 0, 0);
const SAT_NOON = Date.UTC(2026, 10, 28, 12, 0, 0);

function plan(greens: number[], extra: Partial<SignalPlan> = {}, groups = junction.phases): SignalPlan {
  const phases: PlanPhase[] = greens.map((g, i) => ({
    id: groups[i]?.id ?? `P${i}`,
    movements: groups[i]?.movements ?? ['NT'],
    greenS: g,
    yellowS: 3,
    allRedS: 2,
  }));
  const cycleS = phases.reduce((s, p) => s + p.greenS + p.yellowS + p.allRedS, 0);
  return { ts: WED_NOON, planId: 'adaptive-1', source: 'adaptive', cycleS, offsetS: 0, phases, ...extra };
}

function run(state: ExecutorState, untilMs: number): { state: ExecutorState; changes: IntervalChange[] } {
  return advanceExecutor(state, untilMs);
}

describe('plan executor', () => {
  it('starts the stored plan the schedule selects, in fixed mode', () => {
    const s = createExecutor(junction, WED_NOON);
    const state = executorSignalState(s, WED_NOON);
    expect(state).toMatchObject({
      planId: 'day',
      phase: 'A',
      interval: 'green',
      mode: 'fixed',
      source: 'stored',
    });
    expect(SignalState.safeParse(state).success).toBe(true);
    expect(executorSignalState(createExecutor(junction, SAT_NOON), SAT_NOON).planId).toBe('weekend');
  });

  it('runs green, yellow and all-red of each phase for their planned times', () => {
    const s = createExecutor(junction, WED_NOON); // 12:00 UTC is a whole number of 91 s cycles? not needed
    const { changes } = run(s, WED_NOON + 400_000);
    const firstYellow = changes.find((c) => c.interval === 'yellow');
    const firstAllRed = changes.find((c) => c.interval === 'allRed');
    expect(firstYellow?.phase).toBe('A');
    expect(firstAllRed && firstYellow ? firstAllRed.atMs - firstYellow.atMs : 0).toBe(3000);
    const greens = changes.filter((c) => c.interval === 'green');
    expect(greens.map((g) => g.phase).slice(0, 5)).toEqual(['B', 'C', 'D', 'A', 'B']);
    // After the first (aligning) cycle, greens are exactly the plan's.
    const steady = greens.slice(3, 7).map((g) => g.greenS);
    expect(steady).toEqual([25, 8, 30, 8]);
  });

  it('shows green only to the running phase and red to the rest', () => {
    const colours = movementColours(createExecutor(junction, WED_NOON));
    expect(colours.get('NT')).toBe('green');
    expect(colours.get('ET')).toBe('red');
    expect(colours.get('PN')).toBe('red');
  });

  it.each([
    [
      'conflicting movements in one phase',
      plan([20, 20], {}, [
        { id: 'X', movements: ['NT', 'ET'] },
        { id: 'Y', movements: ['NL'] },
      ]),
      'conflicts',
    ],
    [
      'a movement the junction does not have',
      plan([20, 20], {}, [
        { id: 'X', movements: ['NT', 'QQ'] },
        { id: 'Y', movements: ['NL'] },
      ]),
      'does not exist',
    ],
    ['a through green below 7 s', plan([6, 20, 20, 8]), 'below the minimum 7 s'],
    ['a left-turn green below 5 s', plan([20, 4, 20, 8]), 'below the minimum 5 s'],
    [
      'a yellow shorter than 3 s',
      {
        ...plan([20, 8, 20, 8]),
        phases: plan([20, 8, 20, 8]).phases.map((p) => ({ ...p, yellowS: 2, allRedS: 3 })),
      },
      'yellow 2 s',
    ],
    [
      'a skipped all-red',
      {
        ...plan([20, 8, 20, 8]),
        phases: plan([20, 8, 20, 8]).phases.map((p) => ({ ...p, allRedS: 0, greenS: p.greenS + 2 })),
      },
      'all-red 0 s',
    ],
    [
      'a cycle that is not the sum of its phases',
      { ...plan([20, 8, 20, 8]), cycleS: 90 },
      'differs from the sum',
    ],
    ['a cycle over 150 s', plan([60, 20, 60, 20]), 'outside 40–150'],
  ])('refuses %s and reports why', (_name, unsafe, reason) => {
    let s = createExecutor(junction, WED_NOON);
    s = offerPlan(s, unsafe, WED_NOON + 1000);
    s = run(s, WED_NOON + 600_000).state;
    const state = executorSignalState(s, WED_NOON + 600_000);
    expect(state.planId).toBe('day');
    expect(state.lastRejectedPlan?.planId).toBe(unsafe.planId);
    expect(state.lastRejectedPlan?.reason).toContain(reason);
    expect(SignalState.safeParse(state).success).toBe(true);
  });

  it('starts an accepted plan at the next cycle boundary, not before', () => {
    let s = createExecutor(junction, WED_NOON);
    s = run(s, WED_NOON + 10_000).state; // inside phase A's green
    s = offerPlan(s, plan([20, 8, 20, 8]), WED_NOON + 10_000);
    const { state: mid, changes } = run(s, WED_NOON + 40_000);
    expect(mid.plan.planId).toBe('day');
    expect(changes.every((c) => c.planId === 'day')).toBe(true);
    const { changes: after } = run(mid, WED_NOON + 400_000);
    const switched = after.find((c) => c.planId === 'adaptive-1');
    expect(switched).toMatchObject({ phase: 'A', interval: 'green' });
    // The boundary is the end of the old plan's last all-red.
    const before = after[after.indexOf(switched as IntervalChange) - 1];
    expect(before).toMatchObject({ planId: 'day', phase: 'D', interval: 'allRed' });
    const atSwitch = run(mid, switched?.atMs ?? 0).state;
    expect(executorSignalState(atSwitch, atSwitch.nowMs)).toMatchObject({
      mode: 'adaptive',
      source: 'adaptive',
    });
  });

  it('falls back to its stored plan when plans stop arriving for more than two cycles', () => {
    let s = createExecutor(junction, WED_NOON);
    const p = plan([20, 8, 20, 8]); // 76 s cycle
    s = offerPlan(s, p, WED_NOON);
    s = run(s, WED_NOON + 120_000).state;
    expect(s.plan.planId).toBe('adaptive-1');
    s = run(s, WED_NOON + 2 * 76_000 - 1000).state;
    expect(s.plan.planId).toBe('adaptive-1');
    s = run(s, WED_NOON + 2 * 76_000 + 400_000).state;
    expect(executorSignalState(s, s.nowMs)).toMatchObject({ planId: 'day', mode: 'fixed', source: 'stored' });
  });

  it('keeps a plan that is refreshed every cycle', () => {
    let s = createExecutor(junction, WED_NOON);
    for (let k = 0; k < 20; k++) {
      s = offerPlan(s, plan([20, 8, 20, 8], { ts: WED_NOON + k * 76_000 }), WED_NOON + k * 76_000);
      s = run(s, WED_NOON + (k + 1) * 76_000).state;
    }
    expect(s.plan.planId).toBe('adaptive-1');
  });

  it('returns to the stored plan once an override expires', () => {
    let s = createExecutor(junction, WED_NOON);
    s = offerPlan(s, plan([20, 8, 20, 8], { source: 'operator', expiresAt: WED_NOON + 900_000 }), WED_NOON);
    s = run(s, WED_NOON + 800_000).state;
    expect(executorSignalState(s, s.nowMs)).toMatchObject({ mode: 'manual', source: 'operator' });
    s = run(s, WED_NOON + 1_300_000).state;
    expect(executorSignalState(s, s.nowMs)).toMatchObject({ planId: 'day', source: 'stored' });
  });

  it('refuses a plan that expired before it arrived', () => {
    const s = offerPlan(
      createExecutor(junction, WED_NOON),
      plan([20, 8, 20, 8], { expiresAt: WED_NOON - 1 }),
      WED_NOON,
    );
    expect(s.pending).toBeNull();
    expect(s.lastRejectedPlan?.reason).toContain('expired');
  });

  it('flashes yellow for a flash plan and leaves flash through an all-red', () => {
    let s = createExecutor(junction, WED_NOON);
    s = offerPlan(
      s,
      plan([20, 8, 20, 8], {
        planId: 'flash-1',
        source: 'operator',
        flash: true,
        expiresAt: WED_NOON + 600_000,
      }),
      WED_NOON,
    );
    s = run(s, WED_NOON + 300_000).state;
    expect(executorSignalState(s, s.nowMs)).toMatchObject({ mode: 'flash', phase: 'flash' });
    expect([...movementColours(s).values()].every((c) => c === 'flashingYellow')).toBe(true);
    const { changes } = run(s, WED_NOON + 700_000);
    expect(changes[0]).toMatchObject({ interval: 'allRed', planId: 'day' });
    expect(changes[1]).toMatchObject({ interval: 'green', planId: 'day', phase: 'A' });
  });

  it('flashes with a fault when its own stored plan fails the safety check', () => {
    const broken = {
      ...junction,
      plans: junction.plans.map((p) => ({
        ...p,
        phases: p.phases.map((ph) => ({ ...ph, yellowS: 1, greenS: ph.greenS + 2 })),
      })),
    };
    const state = executorSignalState(createExecutor(broken, WED_NOON), WED_NOON);
    expect(state).toMatchObject({ mode: 'flash', faults: ['stored_plan_unsafe'] });
  });
});

// ---- properties -------------------------------------------------------------------------------

const allIds = [...junction.movements.map((m) => m.id), 'PN', 'ZZ'];
const sources: PlanSource[] = ['fixed', 'webster', 'actuated', 'adaptive', 'operator'];

const arbPhase = fc.record({
  movements: fc.oneof(
    fc.constantFrom(...junction.phases.map((p) => p.movements)),
    fc.subarray(allIds, { minLength: 1, maxLength: 6 }),
  ),
  greenS: fc.oneof(fc.integer({ min: 5, max: 40 }), fc.double({ min: 0, max: 60, noNaN: true })),
  yellowS: fc.oneof(fc.integer({ min: 3, max: 6 }), fc.double({ min: 0, max: 10, noNaN: true })),
  allRedS: fc.oneof(fc.integer({ min: 1, max: 3 }), fc.double({ min: 0, max: 10, noNaN: true })),
});

const arbPlanShape = fc.record({
  phases: fc.array(arbPhase, { minLength: 1, maxLength: 5 }),
  offsetS: fc.integer({ min: 0, max: 150 }),
  cycleDelta: fc.oneof(fc.constant(0), fc.constant(0), fc.double({ min: -5, max: 5, noNaN: true })),
  flash: fc.oneof(fc.constant(false), fc.constant(false), fc.constant(false), fc.constant(true)),
  source: fc.constantFrom(...sources),
  expiresInS: fc.option(fc.integer({ min: -10, max: 900 })),
});

type PlanShape = typeof arbPlanShape extends fc.Arbitrary<infer T> ? T : never;

function toPlan(shape: PlanShape, planId: string, ts: number): SignalPlan {
  const phases = shape.phases.map((p, i) => ({ ...p, id: `P${i}` }));
  const sum = phases.reduce((s, p) => s + p.greenS + p.yellowS + p.allRedS, 0);
  const cycleS = Math.min(600, Math.max(1, sum + shape.cycleDelta));
  const p: SignalPlan = { ts, planId, source: shape.source, cycleS, offsetS: shape.offsetS, phases };
  if (shape.flash) p.flash = true;
  if (shape.expiresInS !== null) p.expiresAt = Math.max(0, ts + shape.expiresInS * 1000);
  return p;
}

const arbOps = fc.array(
  fc.record({ gapS: fc.integer({ min: 0, max: 200 }), plan: fc.option(arbPlanShape, { freq: 2 }) }),
  { minLength: 1, maxLength: 25 },
);

describe('plan executor properties', () => {
  it('never executes an unsafe plan, never cuts a green below its minimum, never skips a clearance', () => {
    fc.assert(
      fc.property(arbOps, fc.integer({ min: 0, max: 6 * 86_400 }), (ops, startS) => {
        const t0 = WED_NOON + startS * 1000;
        let s = createExecutor(junction, t0);
        const plans = new Map<string, { cycleS: number; phases: readonly PlanPhase[] }>(
          junction.plans.map((p) => [p.id, p]),
        );
        const trace: IntervalChange[] = [];
        const first = s.plan.phases[0];
        trace.push({
          atMs: t0,
          planId: s.plan.planId,
          phase: first?.id ?? 'flash',
          interval: 'green',
          greenS: (s.intervalEndMs - t0) / 1000,
        });
        let t = t0;
        ops.forEach((op, i) => {
          t += op.gapS * 1000;
          const before = advanceExecutor(s, t);
          trace.push(...before.changes);
          s = before.state;
          if (op.plan) {
            const p = toPlan(op.plan, `p${i}`, t);
            plans.set(p.planId, p);
            s = offerPlan(s, p, t);
            const after = advanceExecutor(s, t);
            trace.push(...after.changes);
            s = after.state;
          }
          const green = [...movementColours(s)].filter(([, c]) => c === 'green').map(([m]) => m);
          for (const [a, b] of junction.conflicts) expect(green.includes(a) && green.includes(b)).toBe(false);
        });
        const tail = advanceExecutor(s, t + 400_000);
        trace.push(...tail.changes);
        checkTrace(trace, plans);
      }),
      { numRuns: 200 },
    );
  }, 120_000);

  it('falls back to the stored plan when an accepted plan is not refreshed', () => {
    const arbSafe = fc.record({
      greens: fc.tuple(
        fc.integer({ min: 7, max: 30 }),
        fc.integer({ min: 5, max: 20 }),
        fc.integer({ min: 7, max: 30 }),
        fc.integer({ min: 5, max: 20 }),
      ),
      offsetS: fc.integer({ min: 0, max: 120 }),
      atS: fc.integer({ min: 0, max: 86_400 }),
      source: fc.constantFrom(...sources),
    });
    fc.assert(
      fc.property(arbSafe, ({ greens, offsetS, atS, source }) => {
        const t = WED_NOON + atS * 1000;
        const p = plan([...greens], { offsetS, source, ts: t });
        let s = advanceExecutor(createExecutor(junction, t - 30_000), t).state;
        s = offerPlan(s, p, t);
        expect(s.lastRejectedPlan).toBeNull();
        s = advanceExecutor(s, t + 2 * p.cycleS * 1000 - 1).state;
        // Within two cycles the received plan has started (or still waits for the boundary).
        expect(s.plan.planId === p.planId || s.pending?.planId === p.planId).toBe(true);
        // Past two cycles without a refresh, at the latest one (transition) cycle later: stored.
        s = advanceExecutor(s, t + 2 * p.cycleS * 1000 + 2 * 150_000 + 1).state;
        expect(executorSignalState(s, s.nowMs)).toMatchObject({ mode: 'fixed', source: 'stored' });
      }),
      { numRuns: 200 },
    );
  }, 120_000);
});

function checkTrace(
  trace: IntervalChange[],
  plans: Map<string, { cycleS: number; phases: readonly PlanPhase[] }>,
): void {
  const phaseOf = (c: IntervalChange): PlanPhase => {
    const phase = plans.get(c.planId)?.phases.find((p) => p.id === c.phase);
    if (!phase) throw new Error(`unknown phase ${c.planId}/${c.phase}`);
    return phase;
  };
  for (const c of trace) {
    if (c.interval === 'flash') continue;
    const executed = plans.get(c.planId);
    expect(executed && checkPlanSafety(junction, executed)).toEqual({ ok: true });
  }
  for (let i = 0; i + 1 < trace.length; i++) {
    const c = trace[i] as IntervalChange;
    const n = trace[i + 1] as IntervalChange;
    const close = (ms: number) => expect(Math.abs(n.atMs - c.atMs - ms)).toBeLessThan(0.01);
    switch (c.interval) {
      case 'green':
        expect(n).toMatchObject({ interval: 'yellow', planId: c.planId, phase: c.phase });
        expect(c.greenS ?? 0).toBeGreaterThanOrEqual(minimumGreenS(junction, phaseOf(c)) - 1e-9);
        close((c.greenS ?? 0) * 1000);
        break;
      case 'yellow':
        expect(n).toMatchObject({ interval: 'allRed', planId: c.planId, phase: c.phase });
        close(phaseOf(c).yellowS * 1000);
        break;
      case 'allRed':
        expect(['green', 'flash']).toContain(n.interval);
        close(phaseOf(c).allRedS * 1000);
        break;
      case 'flash':
        expect(n.interval).toBe('allRed');
        break;
    }
  }
}
