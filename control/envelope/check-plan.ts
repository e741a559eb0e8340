import { type Intersection, type PlanPhase, SignalPlan } from '../../protocol/index.ts';
import { pedMinGreenS, phaseRequirement } from './clearance.ts';
import type { EnvelopeConfig } from './envelope-config.ts';
import { indexIntersection } from './intersection-index.ts';

const EPS = 1e-6;

/**
 * Every rule of the safety envelope as a pure verdict: the reasons `plan` may not run at
 * `intersection` after `previous`, or [] when it may. `enforceEnvelope` repairs what it safely
 * can and then runs this check on its own output, so nothing it returns can violate a rule.
 */
export function checkPlan(
  intersection: Intersection,
  plan: SignalPlan,
  previous: SignalPlan | null,
  cfg: EnvelopeConfig,
): string[] {
  const parsed = SignalPlan.safeParse(plan);
  if (!parsed.success) {
    return parsed.error.issues.map((i) => `schema: ${i.path.join('.') || 'plan'}: ${i.message}`);
  }
  return checkPlanRules(intersection, plan, previous, cfg);
}

/**
 * The rules of `checkPlan` for a plan already known to match the protocol schema (the envelope
 * re-checks its own output with this, sparing a second schema pass on the hot path).
 */
export function checkPlanRules(
  intersection: Intersection,
  plan: SignalPlan,
  previous: SignalPlan | null,
  cfg: EnvelopeConfig,
): string[] {
  // Flashing yellow shows no green at all: it cannot release conflicting movements.
  if (plan.flash === true) return [];
  // Plans the controllers build skip the schema pass, so a NaN or an infinity (which slips
  // through every comparison below) is refused here, on exactly what will be sent.
  const unfinite = nonFiniteReasons(plan);
  if (unfinite.length > 0) return unfinite;
  const reasons = structuralReasons(intersection, plan.phases, cfg);
  if (reasons.length > 0) return reasons;

  const index = indexIntersection(intersection);
  let nominal = 0;
  let longest = 0;
  for (const p of plan.phases) {
    const req = phaseRequirement(p.movements, index, intersection.widthM, cfg);
    const where = `phase ${p.id}`;
    nominal += p.greenS + p.yellowS + p.allRedS;
    longest += (p.maxGreenS ?? p.greenS) + p.yellowS + p.allRedS;
    // ITE change interval: yellow from the kinematic formula, within 3-6 s.
    if (p.yellowS < req.yellowS - EPS)
      reasons.push(`${where}: yellow ${p.yellowS} s < required ${req.yellowS} s`);
    if (p.yellowS > cfg.yellowMaxS + EPS)
      reasons.push(`${where}: yellow ${p.yellowS} s > ${cfg.yellowMaxS} s`);
    // ITE red clearance: (W + L) / v, within 1-3 s.
    if (p.allRedS < req.allRedS - EPS)
      reasons.push(`${where}: all-red ${p.allRedS} s < required ${req.allRedS} s`);
    if (p.allRedS > cfg.allRedMaxS + EPS)
      reasons.push(`${where}: all-red ${p.allRedS} s > ${cfg.allRedMaxS} s`);
    const shortest = p.minGreenS ?? p.greenS;
    // Minimum green: drivers expect a green long enough to start a queue (7 s through, 5 s otherwise).
    if (shortest < req.minGreenS - EPS)
      reasons.push(`${where}: green ${shortest} s < minimum ${req.minGreenS} s`);
    if ((p.maxGreenS ?? p.greenS) > cfg.maxGreenS + EPS) {
      reasons.push(`${where}: green ${p.maxGreenS ?? p.greenS} s > maximum ${cfg.maxGreenS} s`);
    }
    if (p.minGreenS !== undefined && p.greenS < p.minGreenS - EPS)
      reasons.push(`${where}: green below its minGreenS`);
    if (p.maxGreenS !== undefined && p.greenS > p.maxGreenS + EPS)
      reasons.push(`${where}: green above its maxGreenS`);
    if (req.pedLengthM > 0) {
      // MUTCD 2009 §4E.06: WALK >= 7 s, and FDW + buffer (yellow + all-red) >= crossing / walking speed.
      const walk = p.walkS ?? 0;
      if (walk < cfg.pedWalkMinS - EPS) reasons.push(`${where}: walk ${walk} s < ${cfg.pedWalkMinS} s`);
      const need = pedMinGreenS(req.pedLengthM, Math.max(walk, cfg.pedWalkMinS), p.yellowS + p.allRedS, cfg);
      if (shortest < need - EPS)
        reasons.push(`${where}: green ${shortest} s < ${need} s pedestrian walk + clearance`);
    }
  }
  if (Math.abs(plan.cycleS - nominal) > 0.05) {
    reasons.push(`cycle ${plan.cycleS} s is not the sum of its phases (${round(nominal)} s)`);
  }
  if (plan.cycleS < cfg.cycleMinS - EPS || plan.cycleS > cfg.cycleMaxS + EPS) {
    reasons.push(`cycle ${plan.cycleS} s outside ${cfg.cycleMinS}-${cfg.cycleMaxS} s`);
  }
  if (longest > cfg.cycleMaxS + EPS)
    reasons.push(`longest actuated cycle ${round(longest)} s > ${cfg.cycleMaxS} s`);
  if (plan.offsetS >= plan.cycleS) reasons.push(`offset ${plan.offsetS} s not below the cycle`);
  if (previous && previous.flash !== true) reasons.push(...changeReasons(plan, previous, cfg));
  return reasons;
}

/** Rules no timing can repair: unknown movements, conflicting greens, stranded movements. */
export function structuralReasons(
  intersection: Intersection,
  phases: readonly Pick<PlanPhase, 'id' | 'movements'>[],
  cfg: EnvelopeConfig,
): string[] {
  // A junction's plans reuse a handful of phase groupings: the verdict depends only on the
  // grouping (and the one config flag), so it is computed once per grouping and intersection.
  const key = groupingKey(phases, cfg.requireAllVehicleMovements);
  let memo = structuralMemo.get(intersection);
  if (!memo) {
    memo = new Map();
    structuralMemo.set(intersection, memo);
  }
  const hit = memo.get(key);
  if (hit) return hit.slice();
  const reasons = structuralVerdict(intersection, phases, cfg);
  // Bounded: operator input may bring endless new groupings.
  if (memo.size >= 64) memo.clear();
  memo.set(key, Object.freeze(reasons.slice()));
  return reasons;
}

const structuralMemo = new WeakMap<Intersection, Map<string, readonly string[]>>();

/** Unambiguous whatever the ids contain: every id is prefixed by its length. */
function groupingKey(phases: readonly Pick<PlanPhase, 'id' | 'movements'>[], requireAll: boolean): string {
  let key = requireAll ? 'A' : 'a';
  for (const p of phases) {
    key += `|${p.id.length}:${p.id}#${p.movements.length}`;
    for (const m of p.movements) key += `,${m.length}:${m}`;
  }
  return key;
}

function structuralVerdict(
  intersection: Intersection,
  phases: readonly Pick<PlanPhase, 'id' | 'movements'>[],
  cfg: EnvelopeConfig,
): string[] {
  const index = indexIntersection(intersection);
  const reasons: string[] = [];
  const ids = new Set<string>();
  const served = new Set<string>();
  for (const p of phases) {
    if (ids.has(p.id)) reasons.push(`phase ${p.id}: duplicate phase id`);
    ids.add(p.id);
    for (const m of p.movements) {
      if (!index.movements.has(m)) reasons.push(`phase ${p.id}: unknown movement ${m}`);
      served.add(m);
    }
    // Conflict monitor: two movements whose paths cross or merge are never green together.
    for (let i = 0; i < p.movements.length; i++) {
      for (let j = i + 1; j < p.movements.length; j++) {
        const a = p.movements[i] as string;
        const b = p.movements[j] as string;
        if (index.conflicts(a, b))
          reasons.push(`phase ${p.id}: conflicting movements ${a} and ${b} green together`);
      }
    }
  }
  if (cfg.requireAllVehicleMovements) {
    for (const m of index.vehicleMovementIds) {
      if (!served.has(m)) reasons.push(`movement ${m} is never served`);
    }
  }
  return reasons;
}

/** Every timing a plan carries is a finite number (the schema's job for untrusted input). */
function nonFiniteReasons(plan: SignalPlan): string[] {
  const reasons: string[] = [];
  finite(reasons, null, 'cycle', plan.cycleS);
  finite(reasons, null, 'offset', plan.offsetS);
  finite(reasons, null, 'gap', plan.gapS);
  for (const p of plan.phases) {
    finite(reasons, p.id, 'green', p.greenS);
    finite(reasons, p.id, 'yellow', p.yellowS);
    finite(reasons, p.id, 'all-red', p.allRedS);
    finite(reasons, p.id, 'minimum green', p.minGreenS);
    finite(reasons, p.id, 'maximum green', p.maxGreenS);
    finite(reasons, p.id, 'walk', p.walkS);
  }
  return reasons;
}

function finite(reasons: string[], phase: string | null, what: string, v: number | undefined): void {
  if (v === undefined || Number.isFinite(v)) return;
  reasons.push(`${phase === null ? '' : `phase ${phase}: `}${what} ${v} s is not a finite number`);
}

function changeReasons(plan: SignalPlan, previous: SignalPlan, cfg: EnvelopeConfig): string[] {
  const reasons: string[] = [];
  // Bounded change: a big jump between consecutive plans disrupts progression and surprises drivers.
  if (Math.abs(plan.cycleS - previous.cycleS) > cfg.maxCycleChangeS + EPS) {
    reasons.push(
      `cycle changes by ${round(plan.cycleS - previous.cycleS)} s (limit ${cfg.maxCycleChangeS} s)`,
    );
  }
  const before = new Map(previous.phases.map((p) => [p.id, p.greenS]));
  for (const p of plan.phases) {
    const g = before.get(p.id);
    if (g !== undefined && Math.abs(p.greenS - g) > cfg.maxGreenChangeS + EPS) {
      reasons.push(
        `phase ${p.id}: green changes by ${round(p.greenS - g)} s (limit ${cfg.maxGreenChangeS} s)`,
      );
    }
  }
  return reasons;
}

function round(x: number): number {
  return Math.round(x * 10) / 10;
}
