import {
  type Intersection,
  type PlanPhase,
  type PlanSource,
  type SignalInterval,
  type SignalMode,
  type SignalPlan,
  type SignalState,
  scheduledPlan,
} from '../../protocol/index.ts';
import { checkPlanSafety, minimumGreenS } from './plan-safety.ts';

/**
 * A signal controller's plan executor: pure, driven by the time it is handed. It runs one plan
 * at a time, switches to a newly accepted plan only at a cycle boundary (after the last phase's
 * all-red, so no running green is cut and no clearance skipped), refuses plans its own conflict
 * monitor finds unsafe, and returns to its stored schedule when received plans go stale.
 */

export type PlanOrigin = 'stored' | PlanSource;

export interface ActivePlan {
  readonly planId: string;
  readonly source: PlanOrigin;
  readonly cycleS: number;
  readonly offsetS: number;
  readonly phases: readonly PlanPhase[];
  readonly flash: boolean;
  /** Received plans only: the sender's expiry, ms epoch. */
  readonly expiresAt: number | null;
}

/** `flash`: flashing yellow, no cycle. */
export type ExecutorInterval = SignalInterval | 'flash';

export interface RejectedPlan {
  readonly planId: string;
  readonly reason: string;
  readonly ts: number;
}

export interface ExecutorState {
  readonly intersection: Intersection;
  readonly utcOffsetMin: number;
  readonly plan: ActivePlan;
  readonly phaseIndex: number;
  readonly interval: ExecutorInterval;
  readonly intervalStartMs: number;
  /** Infinity while flashing. */
  readonly intervalEndMs: number;
  readonly phaseStartMs: number;
  /** Greens of the running cycle, seconds; differ from the plan's in a transition cycle. */
  readonly cycleGreensS: readonly number[];
  /** Accepted, waiting for the next cycle boundary. */
  readonly pending: ActivePlan | null;
  /** When the last plan was accepted (refreshes included), ms epoch. */
  readonly lastAcceptedMs: number | null;
  readonly lastRejectedPlan: RejectedPlan | null;
  readonly faults: readonly string[];
  readonly nowMs: number;
}

/** One interval change the executor made, at the exact instant it happened. */
export interface IntervalChange {
  readonly atMs: number;
  readonly planId: string;
  readonly phase: string;
  readonly interval: ExecutorInterval;
  /** Length of the green that started (green changes only), seconds. */
  readonly greenS?: number;
}

export type MovementColour = 'green' | 'yellow' | 'red' | 'flashingYellow';

export interface ExecutorOptions {
  /** Local time offset of the city, for the time-of-day schedule. */
  readonly utcOffsetMin?: number;
}

/** Stale rule: a received plan without `expiresAt` lapses when none arrived for 2 cycles. */
const STALE_CYCLES = 2;
const ALIGNED_EPS_S = 0.001;
/** Guards `advanceExecutor` against a pathological clock jump (a day of 1 s phases). */
const MAX_STEPS = 100_000;

export function createExecutor(
  intersection: Intersection,
  nowMs: number,
  opts: ExecutorOptions = {},
): ExecutorState {
  const blank: ExecutorState = {
    intersection,
    utcOffsetMin: opts.utcOffsetMin ?? 0,
    plan: FLASH_PLACEHOLDER,
    phaseIndex: 0,
    interval: 'flash',
    intervalStartMs: nowMs,
    intervalEndMs: Number.POSITIVE_INFINITY,
    phaseStartMs: nowMs,
    cycleGreensS: [],
    pending: null,
    lastAcceptedMs: null,
    lastRejectedPlan: null,
    faults: [],
    nowMs,
  };
  return beginCycle(blank, storedPlanAt(blank, nowMs), nowMs);
}

/**
 * Offers a plan received on the plan topic. The caller advances the executor to `nowMs` before
 * and after (the switch itself happens in `advanceExecutor`, at a cycle boundary).
 * A safe plan becomes pending (or refreshes the running plan when its timing is unchanged); an
 * unsafe or expired one is refused and recorded in `lastRejectedPlan`.
 */
export function offerPlan(state: ExecutorState, plan: SignalPlan, nowMs: number): ExecutorState {
  if (plan.expiresAt !== undefined && plan.expiresAt <= nowMs) {
    return reject(state, plan.planId, 'plan expired before it arrived', nowMs);
  }
  // Flashing yellow is the fail-safe state itself: it needs no conflict check.
  if (!plan.flash) {
    const verdict = checkPlanSafety(state.intersection, plan);
    if (!verdict.ok) return reject(state, plan.planId, verdict.reason, nowMs);
  }
  const offered: ActivePlan = {
    planId: plan.planId,
    source: plan.source,
    cycleS: plan.cycleS,
    offsetS: plan.offsetS,
    phases: plan.phases,
    flash: plan.flash === true,
    expiresAt: plan.expiresAt ?? null,
  };
  const accepted = { ...state, lastAcceptedMs: nowMs };
  // Same timing as what runs now: a refresh. Swapping the record needs no transition.
  if (sameTiming(offered, state.plan)) return { ...accepted, plan: offered, pending: null };
  // Starts at the next cycle boundary; while flashing that is the next `advanceExecutor` call.
  return { ...accepted, pending: offered };
}

/** Runs the controller up to `nowMs`, returning every interval change on the way. */
export function advanceExecutor(
  state: ExecutorState,
  nowMs: number,
): { state: ExecutorState; changes: IntervalChange[] } {
  const changes: IntervalChange[] = [];
  let s = state;
  for (let step = 0; step < MAX_STEPS; step++) {
    if (s.interval === 'flash') {
      // Leave flash exactly when a plan was accepted, or when the flash plan lapsed.
      const lapse = lapseAt(s, s.plan);
      const atMs = s.pending ? (s.lastAcceptedMs ?? nowMs) : lapse;
      if (atMs > nowMs) break;
      const target = s.pending ?? storedPlanAt(s, atMs);
      if (target.flash) {
        // Still flashing (the stored plan failed its check): only the record changes.
        s = { ...s, plan: target, pending: null, faults: faultsFor(target) };
        break;
      }
      s = leaveFlash(s, target, Math.max(atMs, s.intervalStartMs));
      changes.push(changeOf(s));
      continue;
    }
    if (s.intervalEndMs > nowMs) break;
    s = nextInterval(s, s.intervalEndMs);
    changes.push(changeOf(s));
  }
  return { state: { ...s, nowMs: Math.max(nowMs, s.nowMs) }, changes };
}

/** The controller state as published on `city/traffic/signals/{id}/state`. */
export function executorSignalState(state: ExecutorState, nowMs: number): SignalState {
  const flashing = state.interval === 'flash';
  const since = flashing ? state.intervalStartMs : state.phaseStartMs;
  const out: SignalState = {
    ts: Math.floor(nowMs),
    planId: state.plan.planId,
    phase: flashing ? 'flash' : phaseAt(state).id,
    phaseElapsedS: Math.min(86_400, Math.max(0, (nowMs - since) / 1000)),
    mode: modeOf(state.plan),
    faults: [...state.faults],
    cycleS: state.plan.cycleS,
    source: state.plan.source,
    intersectionId: state.intersection.id,
  };
  if (!flashing) out.interval = state.interval as SignalInterval;
  if (state.lastRejectedPlan) out.lastRejectedPlan = { ...state.lastRejectedPlan };
  return out;
}

/** What each movement and pedestrian crossing shows, for the traffic model. */
export function movementColours(state: ExecutorState): Map<string, MovementColour> {
  const colours = new Map<string, MovementColour>();
  const all = [
    ...state.intersection.movements.map((m) => m.id),
    ...state.intersection.pedestrianCrossings.map((p) => p.id),
  ];
  if (state.interval === 'flash') {
    for (const id of all) colours.set(id, 'flashingYellow');
    return colours;
  }
  const serving = new Set(phaseAt(state).movements);
  const lit: MovementColour =
    state.interval === 'green' ? 'green' : state.interval === 'yellow' ? 'yellow' : 'red';
  for (const id of all) colours.set(id, serving.has(id) ? lit : 'red');
  return colours;
}

export function modeOf(plan: ActivePlan): SignalMode {
  if (plan.flash) return 'flash';
  switch (plan.source) {
    case 'stored':
    case 'fixed':
      return 'fixed';
    case 'webster':
    case 'actuated':
    case 'adaptive':
      return 'adaptive';
    case 'operator':
      return 'manual';
  }
}

const FLASH_PLACEHOLDER: ActivePlan = {
  planId: 'startup',
  source: 'stored',
  cycleS: 60,
  offsetS: 0,
  phases: [],
  flash: true,
  expiresAt: null,
};

function phaseAt(state: ExecutorState): PlanPhase {
  const phase = state.plan.phases[state.phaseIndex];
  if (!phase) throw new Error(`executor has no phase ${state.phaseIndex} in ${state.plan.planId}`);
  return phase;
}

function nextInterval(s: ExecutorState, atMs: number): ExecutorState {
  const phase = phaseAt(s);
  switch (s.interval) {
    case 'green':
      return { ...s, interval: 'yellow', intervalStartMs: atMs, intervalEndMs: atMs + phase.yellowS * 1000 };
    case 'yellow':
      return { ...s, interval: 'allRed', intervalStartMs: atMs, intervalEndMs: atMs + phase.allRedS * 1000 };
    case 'allRed': {
      const next = s.phaseIndex + 1;
      if (next < s.plan.phases.length) return startGreen(s, next, atMs);
      return beginCycle(s, choosePlan(s, atMs), atMs);
    }
    case 'flash':
      return s;
  }
}

function startGreen(s: ExecutorState, index: number, atMs: number): ExecutorState {
  const greenS = s.cycleGreensS[index] ?? s.plan.phases[index]?.greenS ?? 0;
  return {
    ...s,
    phaseIndex: index,
    interval: 'green',
    intervalStartMs: atMs,
    intervalEndMs: atMs + greenS * 1000,
    phaseStartMs: atMs,
  };
}

/** At a cycle boundary: the pending plan if still valid, else the stored one when ours lapsed. */
function choosePlan(s: ExecutorState, atMs: number): ActivePlan {
  if (s.pending && !lapsed(s, s.pending, atMs)) return s.pending;
  if (s.plan.source !== 'stored') return lapsed(s, s.plan, atMs) ? storedPlanAt(s, atMs) : s.plan;
  // Running the schedule: follow it when the time of day selects another plan.
  return storedPlanAt(s, atMs);
}

function lapsed(s: ExecutorState, plan: ActivePlan, atMs: number): boolean {
  return atMs >= lapseAt(s, plan);
}

/** When a received plan stops being valid; never for the stored schedule. */
function lapseAt(s: ExecutorState, plan: ActivePlan): number {
  if (plan.source === 'stored') return Number.POSITIVE_INFINITY;
  // An explicit expiry (operator override) governs; otherwise the sender must keep refreshing.
  if (plan.expiresAt !== null) return plan.expiresAt;
  return (s.lastAcceptedMs ?? Number.NEGATIVE_INFINITY) + STALE_CYCLES * plan.cycleS * 1000;
}

function beginCycle(s: ExecutorState, plan: ActivePlan, atMs: number): ExecutorState {
  const base = { ...s, plan, pending: null, faults: faultsFor(plan) };
  if (plan.flash) {
    return {
      ...base,
      interval: 'flash',
      intervalStartMs: atMs,
      intervalEndMs: Number.POSITIVE_INFINITY,
      phaseStartMs: atMs,
      phaseIndex: 0,
    };
  }
  return startGreen({ ...base, cycleGreensS: alignedGreens(s.intersection, plan, atMs) }, 0, atMs);
}

/** Flash → all-red start-up clearance → the new plan's first green at the following boundary. */
function leaveFlash(s: ExecutorState, target: ActivePlan, atMs: number): ExecutorState {
  if (target.flash) return { ...s, plan: target, pending: null };
  const last = target.phases.length - 1;
  const allRedS = target.phases[last]?.allRedS ?? 1;
  return {
    ...s,
    plan: target,
    pending: null,
    faults: [],
    phaseIndex: last,
    interval: 'allRed',
    intervalStartMs: atMs,
    intervalEndMs: atMs + allRedS * 1000,
    phaseStartMs: atMs,
    cycleGreensS: target.phases.map((p) => p.greenS),
  };
}

/** The schedule's stored plan, or flashing yellow (with a fault) when it fails the safety check. */
function storedPlanAt(s: ExecutorState, atMs: number): ActivePlan {
  const stored = scheduledPlan(s.intersection, atMs, s.utcOffsetMin);
  const safe = checkPlanSafety(s.intersection, stored).ok;
  return {
    planId: stored.id,
    source: 'stored',
    cycleS: stored.cycleS,
    offsetS: stored.offsetS,
    phases: stored.phases,
    flash: !safe,
    expiresAt: null,
  };
}

/**
 * Greens for a cycle starting at `atMs` so that the NEXT boundary falls on the plan's offset
 * (coordination). Shortens using only the slack above each phase's minimum green, otherwise
 * lengthens; yellows and all-reds are never touched.
 */
export function alignedGreens(intersection: Intersection, plan: ActivePlan, atMs: number): number[] {
  const greens = plan.phases.map((p) => p.greenS);
  const c = plan.cycleS;
  const into = (((atMs / 1000 - plan.offsetS) % c) + c) % c;
  if (into < ALIGNED_EPS_S || c - into < ALIGNED_EPS_S) return greens;
  const mins = plan.phases.map((p) => minimumGreenS(intersection, p));
  const slack = greens.map((g, i) => Math.max(0, g - (mins[i] ?? g)));
  const totalSlack = slack.reduce((a, b) => a + b, 0);
  const lengthen = c - into;
  if (into <= totalSlack && into <= lengthen) {
    return greens.map((g, i) => Math.max(mins[i] ?? g, g - ((slack[i] ?? 0) * into) / totalSlack));
  }
  const totalGreen = greens.reduce((a, b) => a + b, 0);
  return greens.map((g) => g + (lengthen * g) / totalGreen);
}

function faultsFor(plan: ActivePlan): string[] {
  return plan.source === 'stored' && plan.flash ? ['stored_plan_unsafe'] : [];
}

function sameTiming(a: ActivePlan, b: ActivePlan): boolean {
  if (a.flash || b.flash) return a.flash === b.flash;
  return (
    a.cycleS === b.cycleS && a.offsetS === b.offsetS && JSON.stringify(a.phases) === JSON.stringify(b.phases)
  );
}

function reject(s: ExecutorState, planId: string, reason: string, nowMs: number): ExecutorState {
  return {
    ...s,
    lastRejectedPlan: { planId: planId.slice(0, 128), reason: reason.slice(0, 256), ts: Math.floor(nowMs) },
  };
}

function changeOf(s: ExecutorState): IntervalChange {
  if (s.interval === 'flash')
    return { atMs: s.intervalStartMs, planId: s.plan.planId, phase: 'flash', interval: 'flash' };
  const phase = phaseAt(s).id;
  const base = { atMs: s.intervalStartMs, planId: s.plan.planId, phase, interval: s.interval };
  return s.interval === 'green' ? { ...base, greenS: (s.intervalEndMs - s.intervalStartMs) / 1000 } : base;
}
