import type { MeterKind, MeterReading } from '../../protocol/index.ts';
import { type BuildingUse, demandAt } from './meter-profile.ts';
import { gaussian, type Rng } from './seeded-rng.ts';

/**
 * Injected faults, each from `fromMs` on: `leak` adds a constant flow (water keeps running at
 * night), `stuck` freezes the register and the reported flow/power at their values when it
 * stuck, `outage` silences the meter (no power, no readings; nothing is metered meanwhile).
 */
export type MeterAnomaly =
  | { readonly kind: 'none' }
  | { readonly kind: 'leak'; readonly fromMs: number; readonly flowLph: number }
  | { readonly kind: 'stuck'; readonly fromMs: number }
  | { readonly kind: 'outage'; readonly fromMs: number; readonly untilMs: number };

export interface MeterSim {
  readonly id: string;
  readonly kind: MeterKind;
  readonly use: BuildingUse;
  /** Building size as a multiple of the typical one. */
  readonly scale: number;
  readonly anomaly: MeterAnomaly;
  /** Cumulative register: m³ (water) or kWh (electricity). */
  readonly register: number;
  readonly lastMs: number;
  /** Reading frozen by a `stuck` fault. */
  readonly frozen: MeterReading | null;
}

export interface MeterSimOptions {
  readonly utcOffsetMin: number;
  /** Relative noise of instantaneous flow/power. */
  readonly noise: number;
  readonly rng: Rng;
}

/** Integration sub-step: profiles change hourly, 5 min steps keep the register honest. */
const SUB_STEP_MS = 5 * 60_000;

export function createMeterSim(spec: {
  id: string;
  kind: MeterKind;
  use: BuildingUse;
  scale: number;
  anomaly?: MeterAnomaly;
  startMs: number;
  /** Register at start (a meter is not new when the simulation starts). */
  register?: number;
}): MeterSim {
  return {
    id: spec.id,
    kind: spec.kind,
    use: spec.use,
    scale: spec.scale,
    anomaly: spec.anomaly ?? { kind: 'none' },
    register: spec.register ?? 0,
    lastMs: spec.startMs,
    frozen: null,
  };
}

/** Demand of this meter including an active leak: L/h or W. */
export function meterDemand(sim: MeterSim, atMs: number, utcOffsetMin: number): number {
  const base = demandAt(sim.kind, sim.use, atMs, utcOffsetMin, sim.scale);
  const a = sim.anomaly;
  return a.kind === 'leak' && atMs >= a.fromMs && sim.kind === 'water' ? base + a.flowLph : base;
}

function silentAt(a: MeterAnomaly, atMs: number): boolean {
  return a.kind === 'outage' && atMs >= a.fromMs && atMs < a.untilMs;
}

/**
 * Advances the meter to `nowMs` and takes a reading: null while it is silent. The register
 * integrates demand over time (L/h → m³, W → kWh), so readings taken at any rate agree.
 */
export function readMeter(
  sim: MeterSim,
  nowMs: number,
  opts: MeterSimOptions,
): { sim: MeterSim; reading: MeterReading | null } {
  let register = sim.register;
  for (let t = sim.lastMs; t < nowMs; t += SUB_STEP_MS) {
    const end = Math.min(nowMs, t + SUB_STEP_MS);
    const mid = (t + end) / 2;
    if (silentAt(sim.anomaly, mid)) continue;
    const hours = (end - t) / 3_600_000;
    register += (meterDemand(sim, mid, opts.utcOffsetMin) * hours) / 1000;
  }
  const advanced: MeterSim = { ...sim, register, lastMs: Math.max(nowMs, sim.lastMs) };
  if (silentAt(sim.anomaly, nowMs)) return { sim: advanced, reading: null };
  if (sim.anomaly.kind === 'stuck' && nowMs >= sim.anomaly.fromMs) {
    const frozen = sim.frozen ?? reading(advanced, nowMs, opts);
    return { sim: { ...advanced, frozen }, reading: { ...frozen, ts: Math.floor(nowMs) } };
  }
  return { sim: advanced, reading: reading(advanced, nowMs, opts) };
}

function reading(sim: MeterSim, nowMs: number, opts: MeterSimOptions): MeterReading {
  const demand = Math.max(
    0,
    meterDemand(sim, nowMs, opts.utcOffsetMin) * (1 + opts.noise * gaussian(opts.rng)),
  );
  const out: MeterReading = {
    ts: Math.floor(nowMs),
    kind: sim.kind,
    value: Math.round(sim.register * 1000) / 1000,
  };
  if (sim.kind === 'water') out.flow = Math.min(1e6, Math.round(demand * 10) / 10);
  else out.power = Math.min(1e8, Math.round(demand));
  return out;
}
