import { describe, expect, it } from 'vitest';
import type { Approach } from '../../protocol/index.ts';
import { checkPlan } from '../envelope/check-plan.ts';
import { crossIntersection } from '../test-support/cross-intersection.ts';
import { parseControlConfig } from './control-config.ts';
import { commitDecision, decidePlan } from './decide-plan.ts';
import { applyCounts, applyFaults, newIntersectionState } from './intersection-state.ts';

const junction = crossIntersection();
const cfg = parseControlConfig();
// Monday 12 Jan 2026 08:00 Moscow
const t0 = Date.UTC(2026, 0, 12, 5, 0);

function feed(
  state: ReturnType<typeof newIntersectionState>,
  fromMs: number,
  toMs: number,
  dirs: Approach[],
) {
  for (let t = fromMs + 5000; t <= toMs; t += 5000) {
    for (const d of dirs)
      applyCounts(state, junction, d, { ts: t, intervalS: 5, intensity: d === 'N' ? 2 : 1 }, cfg);
  }
}

describe('fallback and recovery', () => {
  it('runs adaptive on fresh counts, falls back to the stored plan when they stop, and resumes', () => {
    const state = newIntersectionState();
    feed(state, t0, t0 + 60_000, ['N', 'E', 'S', 'W']);
    const live = decidePlan(junction, state, 'adaptive', t0 + 60_000, cfg);
    expect(live.mode).toBe('adaptive');
    expect(live.plan?.source).toBe('adaptive');
    commitDecision(state, live, t0 + 60_000);

    const stale = decidePlan(junction, state, 'adaptive', t0 + 120_000, cfg);
    expect(stale.mode).toBe('fallback');
    expect(stale.fallbackReason).toBe('counts stale or missing on 4 of 4 approaches (N, E, S, W)');
    expect(stale.plan?.source).toBe('fixed');
    expect(stale.plan?.planId).toBe('day');
    commitDecision(state, stale, t0 + 120_000);

    feed(state, t0 + 120_000, t0 + 150_000, ['N', 'E', 'S', 'W']);
    const back = decidePlan(junction, state, 'adaptive', t0 + 150_000, cfg);
    expect(back.mode).toBe('adaptive');
    expect(back.fallbackReason).toBeNull();
  });

  it('keeps adaptive control with one camera silent, imputing it', () => {
    const state = newIntersectionState();
    feed(state, t0, t0 + 60_000, ['N', 'E', 'W']);
    const d = decidePlan(junction, state, 'adaptive', t0 + 60_000, cfg);
    expect(d.mode).toBe('adaptive');
    expect(d.imputed).toEqual(['S']);
  });

  it('falls back when the signal reports camera faults on most approaches', () => {
    const state = newIntersectionState();
    feed(state, t0, t0 + 60_000, ['N', 'E', 'S', 'W']);
    applyFaults(state, junction, ['camera_N', 'camera_E', 'detector:S'], cfg);
    const d = decidePlan(junction, state, 'adaptive', t0 + 60_000, cfg);
    expect(d.mode).toBe('fallback');
    expect(d.fallbackReason).toBe('camera fault on approach N, E, S');
    applyFaults(state, junction, [], cfg);
    expect(decidePlan(junction, state, 'adaptive', t0 + 60_000, cfg).mode).toBe('adaptive');
  });

  it('never falls back for fixed or actuated control, which need no counts', () => {
    const state = newIntersectionState();
    expect(decidePlan(junction, state, 'fixed', t0, cfg).mode).toBe('fixed');
    const act = decidePlan(junction, state, 'actuated', t0, cfg);
    expect(act.mode).toBe('actuated');
    expect(act.plan?.gapS).toBe(3);
  });

  it('sends only plans that satisfy the envelope, for every controller', () => {
    for (const kind of ['fixed', 'webster', 'actuated', 'adaptive'] as const) {
      const state = newIntersectionState();
      feed(state, t0, t0 + 60_000, ['N', 'E', 'S', 'W']);
      for (let k = 0; k < 5; k++) {
        const now = t0 + 60_000 + k * 90_000;
        feed(state, now - 90_000, now, ['N', 'E', 'S', 'W']);
        const d = decidePlan(junction, state, kind, now, cfg);
        expect(d.plan).not.toBeNull();
        if (d.plan) expect(checkPlan(junction, d.plan, state.lastPlan, cfg.envelope)).toEqual([]);
        commitDecision(state, d, now);
      }
    }
  });
});

describe('adaptive keeps the stored progression while demand fits', () => {
  it('runs the stored cycle and offset with its own splits at light demand, its own cycle under backlog', () => {
    const state = newIntersectionState();
    feed(state, t0, t0 + 60_000, ['N', 'E', 'S', 'W']);
    const light = decidePlan(junction, state, 'adaptive', t0 + 60_000, cfg);
    // the fixture's day plan: cycle 97 s, offset 0
    expect(light.plan?.cycleS).toBe(97);
    expect(light.plan?.offsetS).toBe(0);
    expect(light.plan?.source).toBe('adaptive');
    const queued = newIntersectionState();
    for (let t = t0 + 5000; t <= t0 + 60_000; t += 5000) {
      for (const d of ['N', 'E', 'S', 'W'] as const) {
        applyCounts(
          queued,
          junction,
          d,
          { ts: t, intervalS: 5, intensity: 1, queueLength: d === 'N' ? 40 : 0 },
          cfg,
        );
      }
    }
    const own = decidePlan(junction, queued, 'adaptive', t0 + 60_000, cfg);
    expect(own.plan?.cycleS).not.toBe(97);
    expect(own.mode).toBe('adaptive');
  });
});
