import type { SignalPlan } from '../../protocol/index.ts';
import type { IntersectionDemand } from '../estimation/estimate-demand.ts';
import { buildPlan, offsetStartingAt, phaseLostTimeS } from './build-plan.ts';
import type { ControllerConfig } from './controller-config.ts';
import { criticalRatios, type PhaseTiming } from './phase-timing.ts';

export interface AdaptiveContext {
  /** Fullness (0..1) of the link each lane group discharges into, where known (spillback). */
  readonly downstreamFullness?: ReadonlyMap<string, number>;
  /** Corridor coordination: the common cycle and this junction's offset for the green wave. */
  readonly coordination?: Coordination;
  /**
   * Asked with the cycle this junction would choose alone; returns its corridor's common cycle
   * and when its coordinated phase should start, or undefined to run alone.
   */
  readonly coordinate?: (desiredCycleS: number) => Coordination | undefined;
}

export interface Coordination {
  readonly cycleS: number;
  /** Offset (s against the city clock) at which `alignPhase` starts; the cycle start when absent. */
  readonly offsetS: number;
  readonly alignPhase?: string;
}

/**
 * Our adaptive controller, run at every cycle boundary:
 * 1. Effective demand per lane group = measured arrival flow + the standing queue spread over
 *    `backlogHorizonS` (so a residual queue earns green until it is gone), discounted when the
 *    link it discharges into is nearly full (max-pressure: green is worthless where vehicles
 *    cannot leave).
 * 2. The cycle is the candidate with the least estimated delay (HCM uniform + overflow delay
 *    over every lane group, with greens split at equal degree of saturation), moved at most
 *    `maxCycleStepS` from the previous cycle so the signal never lurches.
 * 3. Greens beyond the minimums are split at equal degree of saturation.
 * A coordinated junction takes its corridor's cycle and offset instead of its own cycle.
 */
export function adaptivePlan(
  timings: readonly PhaseTiming[],
  demand: IntersectionDemand,
  previous: SignalPlan | null,
  nowMs: number,
  cfg: ControllerConfig,
  ctx: AdaptiveContext = {},
): SignalPlan {
  const a = cfg.adaptive;
  const flows = effectiveFlows(demand, cfg, ctx.downstreamFullness);
  const y = criticalRatios(timings, demand, (id) => flows.get(id) ?? 0);
  const mins = timings.map((t) => t.minGreenS);
  const clearance = timings.reduce((s, t) => s + t.yellowS + t.allRedS, 0);
  const minCycle = clearance + mins.reduce((s, m) => s + m, 0);
  let cycleS: number;
  let coordination = ctx.coordination;
  if (coordination) {
    cycleS = coordination.cycleS;
  } else {
    const best = bestCycle(timings, demand, flows, y, cfg);
    const prev = previous && previous.flash !== true ? previous.cycleS : best;
    cycleS = Math.min(prev + a.maxCycleStepS, Math.max(prev - a.maxCycleStepS, best));
    coordination = ctx.coordinate?.(cycleS);
    if (coordination) cycleS = coordination.cycleS;
  }
  cycleS = Math.max(minCycle, Math.min(cfg.cycleMaxS, a.cycleMaxS, Math.max(cfg.cycleMinS, cycleS)));
  const greens = equalSaturationSplit(cycleS - clearance, y, mins);
  // Gap-out would break a green wave: coordinated junctions run their splits as planned.
  const actuated =
    a.gapOutMaxFactor > 0 && (!coordination || a.gapOutWhenCoordinated)
      ? { maxGreenS: greens.map((g) => g * a.gapOutMaxFactor), gapS: a.gapS }
      : undefined;
  let offsetS = offsetStartingAt(nowMs, cycleS);
  if (coordination) {
    let start = 0;
    for (let i = 0; i < timings.length; i++) {
      const t = timings[i] as PhaseTiming;
      if (t.id === coordination.alignPhase) break;
      start += (greens[i] as number) + t.yellowS + t.allRedS;
    }
    if (coordination.alignPhase === undefined || !timings.some((t) => t.id === coordination?.alignPhase))
      start = 0;
    offsetS = coordination.offsetS - start;
  }
  return buildPlan({
    ...(actuated ? { actuated } : {}),
    timings,
    cycleS,
    weights: greens,
    source: 'adaptive',
    ts: nowMs,
    planId: `adaptive-${Math.round(cycleS)}`,
    offsetS,
  });
}

/** Arrival flow plus backlog, discounted for spillback (veh/h). */
export function effectiveFlows(
  demand: IntersectionDemand,
  cfg: ControllerConfig,
  downstreamFullness?: ReadonlyMap<string, number>,
): Map<string, number> {
  const a = cfg.adaptive;
  const out = new Map<string, number>();
  for (const g of demand.laneGroups) {
    let q = g.flowVehPerH + (g.queueVeh * 3600) / a.backlogHorizonS;
    const full = downstreamFullness?.get(g.id);
    if (full !== undefined && full > a.spillbackFrom) {
      q *= Math.max(0.1, (1 - full) / (1 - a.spillbackFrom));
    }
    out.set(g.id, q);
  }
  return out;
}

/**
 * Greens for `available` seconds at equal degree of saturation (g_i proportional to y_i), with
 * every phase at least its minimum: phases pinned at their minimum leave the rest to the others.
 */
export function equalSaturationSplit(
  available: number,
  y: readonly number[],
  mins: readonly number[],
): number[] {
  // Runs for every candidate cycle of every decision: one array, filled in place.
  const n = y.length;
  const pinned = new Array<boolean>(n).fill(false);
  const greens = mins.slice();
  let pinnedCount = 0;
  for (let round = 0; round <= n; round++) {
    let rest = available;
    let ysum = 0;
    for (let i = 0; i < n; i++) {
      if (pinned[i]) rest -= mins[i] as number;
      else ysum += y[i] as number;
    }
    const free = Math.max(1, n - pinnedCount);
    for (let i = 0; i < n; i++) {
      greens[i] = pinned[i] ? (mins[i] as number) : ysum > 0 ? (rest * (y[i] as number)) / ysum : rest / free;
    }
    let changed = false;
    for (let i = 0; i < n; i++) {
      if (!pinned[i] && (greens[i] as number) < (mins[i] as number)) {
        pinned[i] = true;
        pinnedCount++;
        changed = true;
      }
    }
    if (!changed) break;
  }
  for (let i = 0; i < n; i++) greens[i] = Math.max(greens[i] as number, mins[i] as number);
  return greens;
}

/** What `bestCycle` needs of a junction's phases, derived once per timings and config. */
interface CycleSearchFrame {
  readonly mins: readonly number[];
  readonly clearance: number;
  readonly lostExtra: number;
  readonly minCycle: number;
  readonly servedBy: ReadonlyMap<string, readonly number[]>;
}

const frames = new WeakMap<readonly PhaseTiming[], { cfg: ControllerConfig; frame: CycleSearchFrame }>();

function cycleSearchFrame(timings: readonly PhaseTiming[], cfg: ControllerConfig): CycleSearchFrame {
  const hit = frames.get(timings);
  if (hit && hit.cfg === cfg) return hit.frame;
  const mins = timings.map((t) => t.minGreenS);
  const clearance = timings.reduce((s, t) => s + t.yellowS + t.allRedS, 0);
  const lostExtra =
    timings.reduce((s, t) => s + phaseLostTimeS(t, cfg) - t.yellowS - t.allRedS, 0) / timings.length;
  const servedBy = new Map<string, number[]>();
  timings.forEach((t, i) => {
    for (const g of t.laneGroups) servedBy.set(g, [...(servedBy.get(g) ?? []), i]);
  });
  const frame = {
    mins,
    clearance,
    lostExtra,
    minCycle: clearance + mins.reduce((s, m) => s + m, 0),
    servedBy,
  };
  frames.set(timings, { cfg, frame });
  return frame;
}

const noPhases: readonly number[] = [];

/** Cycle with the least estimated total delay among the candidates (HCM 2000 eq. 16-9..16-12). */
function bestCycle(
  timings: readonly PhaseTiming[],
  demand: IntersectionDemand,
  flows: ReadonlyMap<string, number>,
  y: readonly number[],
  cfg: ControllerConfig,
): number {
  const { mins, clearance, lostExtra, minCycle, servedBy } = cycleSearchFrame(timings, cfg);
  // The lane groups with demand, looked up once rather than once per candidate cycle.
  const groups: { q: number; s: number; phases: readonly number[] }[] = [];
  for (const g of demand.laneGroups) {
    const q = flows.get(g.id) ?? 0;
    if (q > 0) groups.push({ q, s: g.saturationVehPerH, phases: servedBy.get(g.id) ?? noPhases });
  }
  let best = Math.min(cfg.cycleMaxS, cfg.adaptive.cycleMaxS);
  let bestDelay = Number.POSITIVE_INFINITY;
  const top = Math.min(cfg.cycleMaxS, cfg.adaptive.cycleMaxS);
  for (let c = cfg.cycleMinS; c <= top + 1e-9; c += cfg.adaptive.cycleSearchStepS) {
    if (c < minCycle) continue;
    const greens = equalSaturationSplit(c - clearance, y, mins);
    let delay = 0;
    for (const g of groups) {
      let eff = 0;
      for (const i of g.phases) eff += Math.max(1, (greens[i] as number) - lostExtra);
      delay += g.q * laneGroupDelayS(g.q, g.s, eff, c);
    }
    if (delay < bestDelay - 1e-9) {
      bestDelay = delay;
      best = c;
    }
  }
  return best;
}

/**
 * Control delay of a lane group, s/veh: uniform delay d1 = 0.5 C (1 - g/C)^2 / (1 - min(1, x) g/C)
 * plus incremental delay d2 = 900 T [(x - 1) + sqrt((x - 1)^2 + 4 x / (c T))], T = 0.25 h.
 */
export function laneGroupDelayS(
  qVehPerH: number,
  sVehPerH: number,
  effectiveGreenS: number,
  cycleS: number,
): number {
  const gC = Math.min(1, effectiveGreenS / cycleS);
  const c = sVehPerH * gC;
  if (c <= 0) return cycleS;
  const x = qVehPerH / c;
  const d1 = (0.5 * cycleS * (1 - gC) ** 2) / (1 - Math.min(1, x) * gC || 1e-9);
  const T = 0.25;
  const d2 = 900 * T * (x - 1 + Math.sqrt((x - 1) ** 2 + (4 * x) / (c * T)));
  return d1 + d2;
}
