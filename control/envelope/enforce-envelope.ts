import { type Intersection, type PlanPhase, SignalPlan } from '../../protocol/index.ts';
import { checkPlanRules, structuralReasons } from './check-plan.ts';
import { pedMinGreenS, phaseRequirement } from './clearance.ts';
import { type EnvelopeConfig, type EnvelopeConfigInput, parseEnvelopeConfig } from './envelope-config.ts';
import { indexIntersection } from './intersection-index.ts';

export type EnvelopeResult =
  | { readonly ok: true; readonly plan: SignalPlan; readonly adjustments: readonly string[] }
  | { readonly ok: false; readonly reasons: readonly string[] };

/**
 * The last gate before a plan reaches a signal, for controllers and operators alike. Timings
 * that are merely too short or too long are moved to the nearest safe value (the changes are
 * listed in `adjustments`); what no timing can fix (conflicting greens, unknown or stranded
 * movements, pedestrian needs beyond the maximum cycle) is refused with its reasons. The result
 * is verified by `checkPlan` once more, so an `ok` plan satisfies every rule by construction.
 */
export function enforceEnvelope(
  intersection: Intersection,
  plan: SignalPlan,
  previousPlan: SignalPlan | null,
  config?: EnvelopeConfigInput | EnvelopeConfig,
): EnvelopeResult {
  const cfg = parseEnvelopeConfig(config);
  const parsed = SignalPlan.safeParse(plan);
  if (!parsed.success) {
    return {
      ok: false,
      reasons: parsed.error.issues.map((i) => `schema: ${i.path.join('.') || 'plan'}: ${i.message}`),
    };
  }
  return enforceBuiltPlan(intersection, plan, previousPlan, cfg);
}

/**
 * `enforceEnvelope` for a plan this service built itself (the controllers, from the parsed
 * network and config): the schema pass over the input is spared — it is the trust boundary's
 * job, and the tick's largest common cost — but every rule, finiteness included, is still
 * checked on the plan that leaves. Operator and MQTT input goes through `enforceEnvelope`.
 */
export function enforceBuiltPlan(
  intersection: Intersection,
  plan: SignalPlan,
  previousPlan: SignalPlan | null,
  cfg: EnvelopeConfig,
): EnvelopeResult {
  if (plan.flash === true) return { ok: true, plan, adjustments: [] };
  const structural = structuralReasons(intersection, plan.phases, cfg);
  if (structural.length > 0) return { ok: false, reasons: structural };

  const index = indexIntersection(intersection);
  const adjustments: string[] = [];
  const reasons: string[] = [];
  const previous = previousPlan && previousPlan.flash !== true ? previousPlan : null;
  const prevGreen = new Map(previous?.phases.map((p) => [p.id, ds(p.greenS)]) ?? []);
  const maxGreen = dsDown(cfg.maxGreenS);

  // Work in whole deciseconds so sums are exact and rounding never lands on the unsafe side.
  const work = plan.phases.map((p) => {
    const req = phaseRequirement(p.movements, index, intersection.widthM, cfg);
    const yellow = Math.min(Math.max(ds(p.yellowS), dsUp(req.yellowS)), dsDown(cfg.yellowMaxS));
    const allRed = Math.min(Math.max(ds(p.allRedS), dsUp(req.allRedS)), dsDown(cfg.allRedMaxS));
    if (yellow !== ds(p.yellowS)) adjustments.push(`phase ${p.id}: yellow ${p.yellowS} -> ${yellow / 10} s`);
    if (allRed !== ds(p.allRedS)) adjustments.push(`phase ${p.id}: all-red ${p.allRedS} -> ${allRed / 10} s`);
    let walk: number | undefined = p.walkS === undefined ? undefined : ds(p.walkS);
    let lo = dsUp(req.minGreenS);
    if (req.pedLengthM > 0) {
      walk = Math.max(walk ?? 0, dsUp(cfg.pedWalkMinS));
      lo = Math.max(lo, dsUp(pedMinGreenS(req.pedLengthM, walk / 10, (yellow + allRed) / 10, cfg)));
    }
    const actuated = p.minGreenS !== undefined || p.maxGreenS !== undefined;
    const minG = actuated ? Math.max(ds(p.minGreenS ?? 0), lo) : lo;
    const maxG = actuated ? Math.max(minG, Math.min(ds(p.maxGreenS ?? cfg.maxGreenS), maxGreen)) : maxGreen;
    if (minG > maxGreen)
      reasons.push(`phase ${p.id}: needs ${minG / 10} s green, above maximum ${cfg.maxGreenS} s`);
    return {
      p,
      yellow,
      allRed,
      walk,
      actuated,
      safeMinG: lo,
      minG,
      maxG,
      green: clampInt(ds(p.greenS), minG, maxG),
    };
  });
  if (reasons.length > 0) return { ok: false, reasons };

  // Bounded change against the previous plan, where the hard limits leave room for it. An
  // actuated phase's own minimum and maximum are the proposal's wishes, not safety limits: when
  // they are further from the running green than one step, the step wins (the plan moves toward
  // the proposal over several cycles instead of being refused).
  const soft = work.map((w) => {
    const g = prevGreen.get(w.p.id);
    if (g === undefined) return { lo: w.minG, hi: w.maxG };
    const stepLo = g - dsDown(cfg.maxGreenChangeS);
    const stepHi = g + dsDown(cfg.maxGreenChangeS);
    const lo = Math.max(w.minG, stepLo);
    const hi = Math.min(w.maxG, stepHi);
    if (lo <= hi) return { lo, hi };
    if (!w.actuated) return { lo: w.minG, hi: w.maxG };
    const safeLo = Math.max(w.safeMinG, stepLo);
    const safeHi = Math.min(maxGreen, stepHi);
    return safeLo <= safeHi ? { lo: safeLo, hi: safeHi } : { lo: w.minG, hi: w.maxG };
  });
  const greens = work.map((w, i) => clampInt(ds(w.p.greenS), soft[i]?.lo ?? w.minG, soft[i]?.hi ?? w.maxG));
  const clearance = work.reduce((s, w) => s + w.yellow + w.allRed, 0);
  let cycleLo = dsUp(cfg.cycleMinS);
  let cycleHi = dsDown(cfg.cycleMaxS);
  if (previous) {
    const lo = Math.max(cycleLo, ds(previous.cycleS) - dsDown(cfg.maxCycleChangeS));
    const hi = Math.min(cycleHi, ds(previous.cycleS) + dsDown(cfg.maxCycleChangeS));
    if (lo <= hi) [cycleLo, cycleHi] = [lo, hi];
  }
  let fitted = fitSum(greens, soft, cycleLo - clearance, cycleHi - clearance);
  if (fitted === null) {
    // The change bounds cannot be met together: safety limits alone decide.
    const hard = work.map((w) => ({ lo: w.minG, hi: w.maxG }));
    fitted = fitSum(greens, hard, dsUp(cfg.cycleMinS) - clearance, dsDown(cfg.cycleMaxS) - clearance);
  }
  if (fitted === null) {
    return {
      ok: false,
      reasons: [`no green split fits the ${cfg.cycleMinS}-${cfg.cycleMaxS} s cycle bounds`],
    };
  }
  // Actuated plans: even when every phase runs to its maximum the cycle stays within bounds.
  const maxima = work.map((w, i) =>
    w.actuated ? Math.max(w.maxG, fitted[i] as number) : (fitted[i] as number),
  );
  const maxFit = fitSum(
    maxima,
    work.map((_w, i) => ({ lo: fitted[i] as number, hi: maxima[i] as number })),
    0,
    dsDown(cfg.cycleMaxS) - clearance,
  );
  if (maxFit === null) return { ok: false, reasons: ['actuated maximum greens exceed the cycle maximum'] };
  const phases: PlanPhase[] = work.map((w, i) => {
    const green = fitted[i] as number;
    if (green !== ds(w.p.greenS)) adjustments.push(`phase ${w.p.id}: green ${w.p.greenS} -> ${green / 10} s`);
    const out: PlanPhase = { ...w.p, greenS: green / 10, yellowS: w.yellow / 10, allRedS: w.allRed / 10 };
    if (w.walk !== undefined) out.walkS = w.walk / 10;
    if (w.actuated) {
      out.minGreenS = Math.min(w.minG, green) / 10;
      out.maxGreenS = Math.max(maxFit[i] as number, green) / 10;
    }
    return out;
  });
  const cycle = phases.reduce((s, p) => s + ds(p.greenS) + ds(p.yellowS) + ds(p.allRedS), 0);
  if (cycle !== ds(plan.cycleS)) adjustments.push(`cycle ${plan.cycleS} -> ${cycle / 10} s`);
  const offset = ((ds(plan.offsetS) % cycle) + cycle) % cycle;
  const out: SignalPlan = { ...plan, cycleS: cycle / 10, offsetS: offset / 10, phases };
  // Built from schema-valid input within the rules' bounds (all far inside the schema's): the
  // rules alone decide, on exactly what will be sent.
  const verdict = checkPlanRules(intersection, out, previous, cfg);
  return verdict.length === 0 ? { ok: true, plan: out, adjustments } : { ok: false, reasons: verdict };
}

/**
 * Moves `values` (each within its [lo, hi]) until their sum lies in [sumLo, sumHi], spreading
 * the change in proportion to each value's room. Null when the bounds cannot be met.
 */
export function fitSum(
  values: readonly number[],
  bounds: readonly { lo: number; hi: number }[],
  sumLo: number,
  sumHi: number,
): number[] | null {
  const out = values.map((v, i) => clampInt(v, bounds[i]?.lo ?? v, bounds[i]?.hi ?? v));
  const minSum = bounds.reduce((s, b) => s + b.lo, 0);
  const maxSum = bounds.reduce((s, b) => s + b.hi, 0);
  if (sumLo > sumHi || minSum > sumHi || maxSum < sumLo) return null;
  let sum = out.reduce((s, v) => s + v, 0);
  const target = Math.min(Math.max(sum, sumLo), sumHi);
  for (let round = 0; round < 8 && sum !== target; round++) {
    const up = target > sum;
    const room = out.map((v, i) => (up ? (bounds[i]?.hi ?? v) - v : v - (bounds[i]?.lo ?? v)));
    const total = room.reduce((s, r) => s + r, 0);
    if (total <= 0) break;
    const need = Math.abs(target - sum);
    for (let i = 0; i < out.length; i++) {
      const step = Math.min(room[i] as number, Math.floor(((room[i] as number) * need) / total));
      out[i] = (out[i] as number) + (up ? step : -step);
    }
    sum = out.reduce((s, v) => s + v, 0);
    // Hand out the rounding remainder one decisecond at a time.
    for (let i = 0; i < out.length && sum !== target; i++) {
      const v = out[i] as number;
      if (up && v < (bounds[i]?.hi ?? v)) {
        out[i] = v + 1;
        sum++;
      } else if (!up && v > (bounds[i]?.lo ?? v)) {
        out[i] = v - 1;
        sum--;
      }
    }
  }
  return sum === target ? out : null;
}

function ds(s: number): number {
  return Math.round(s * 10);
}
function dsUp(s: number): number {
  return Math.ceil(s * 10 - 1e-9);
}
function dsDown(s: number): number {
  return Math.floor(s * 10 + 1e-9);
}
function clampInt(x: number, lo: number, hi: number): number {
  return Math.min(Math.max(x, lo), hi);
}
