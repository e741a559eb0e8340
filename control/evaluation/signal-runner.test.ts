import { describe, expect, it } from 'vitest';
import { crossPlan } from '../test-support/cross-intersection.ts';
import { SignalRunner } from './signal-runner.ts';

const never = () => Number.POSITIVE_INFINITY;

describe('SignalRunner', () => {
  it('runs green, yellow and all-red of each phase in turn', () => {
    const r = new SignalRunner(crossPlan([10, 30, 10, 25]));
    const seen: string[] = [];
    for (let t = 0; t < 20; t++) {
      const c = r.step(1, never);
      seen.push(c.get('NL') ?? (c.size === 0 ? 'allRed' : `other:${[...c.keys()][0]}`));
    }
    // NS-L: green 0-9 s, yellow 10-13.5 s, all-red 13.5-15.5 s, then NS
    expect(seen.slice(0, 9).every((s) => s === 'green')).toBe(true);
    expect(seen.slice(10, 13)).toEqual(['yellow', 'yellow', 'yellow']);
    expect(seen[14]).toBe('allRed');
    expect(seen[16]).toBe('other:NT');
  });

  it('switches to an offered plan only at the end of the cycle', () => {
    const first = crossPlan([10, 30, 10, 25], { planId: 'a' });
    const second = crossPlan([20, 30, 10, 25], { planId: 'b' });
    const r = new SignalRunner(first);
    r.offer(second);
    let ended = -1;
    for (let t = 1; t <= 120; t++) {
      r.step(1, never);
      if (r.cycleEnded && ended < 0) ended = t;
      if (t === 50) expect(r.current.planId).toBe('a');
    }
    expect(ended).toBe(97);
    expect(r.current.planId).toBe('b');
  });

  it('ends an actuated green on a gap, but not before its minimum', () => {
    const base = crossPlan([10, 30, 10, 25]);
    const plan = {
      ...base,
      gapS: 3,
      phases: base.phases.map((p) => ({ ...p, minGreenS: 5, maxGreenS: 40 })),
    };
    const r = new SignalRunner(plan);
    let t = 0;
    while (r.colours().get('NL') === 'green' && t < 100) {
      r.step(1, () => 10);
      t++;
    }
    expect(t).toBe(5);
  });

  it('ends an actuated green at its maximum under continuous calls', () => {
    const base = crossPlan([10, 30, 10, 25]);
    const plan = {
      ...base,
      gapS: 3,
      phases: base.phases.map((p) => ({ ...p, minGreenS: 5, maxGreenS: 12 })),
    };
    const r = new SignalRunner(plan);
    let t = 0;
    while (r.colours().get('NL') === 'green' && t < 100) {
      r.step(1, () => 0);
      t++;
    }
    expect(t).toBe(12);
  });
});

describe('SignalRunner start position', () => {
  it('starts where the offset puts the cycle at that moment', () => {
    // cycle 97 s, offset 10 s; at t = 30 s the cycle is 20 s in: NS-L (15.5 s) is over, NS green 4.5 s in
    const r = new SignalRunner(crossPlan([10, 30, 10, 25], { offsetS: 10 }), 30_000);
    expect(r.colours().get('NT')).toBe('green');
    let t = 0;
    while (r.colours().get('NT') === 'green' && t < 100) {
      r.step(1, never);
      t++;
    }
    expect(t).toBe(26);
  });
});
