import type { Intersection } from '../../../protocol/network.ts';
import type { SignalPlan } from '../../../protocol/signal-plan.ts';
import type { SignalState } from '../../../protocol/signal-state.ts';
import type { ApproachLive, IntersectionStatus, LiveIntersection } from '../../shared/contract.ts';
import type { ControlIntersectionStatus } from './live-status.ts';

/** The latest counts of one approach's camera. */
export interface ApproachReading {
  readonly intensity: number | null;
  readonly queueLength: number | null;
  readonly ts: number | null;
}

/** The starting picture of an intersection nothing has been heard from. */
export function quietIntersection(id: string): LiveIntersection {
  return {
    id,
    mode: null,
    source: null,
    phase: null,
    interval: null,
    planId: null,
    queueVeh: 0,
    congestion: 0,
    faults: [],
    fallbackReason: null,
    ts: 0,
  };
}

/**
 * An intersection as the map draws it: the signal's own state, the queue summed over its
 * approaches, and the congestion of its worst incoming link (one jammed approach is what an
 * operator must see, however free the others are).
 */
export function liveIntersection(
  def: Intersection,
  signal: SignalState | undefined,
  approaches: Iterable<ApproachReading>,
  congestionOf: (linkId: string) => number,
  control: ControlIntersectionStatus | undefined,
): LiveIntersection {
  let queueVeh = 0;
  for (const a of approaches) queueVeh += a.queueLength ?? 0;
  let congestion = 0;
  for (const a of def.approaches) congestion = Math.max(congestion, congestionOf(a.inLink));
  return {
    id: def.id,
    mode: signal?.mode ?? null,
    source: signal?.source ?? null,
    phase: signal?.phase ?? null,
    interval: signal?.interval ?? null,
    planId: signal?.planId ?? null,
    queueVeh,
    congestion,
    faults: signal?.faults ?? [],
    fallbackReason: control?.fallbackReason ?? null,
    ts: signal?.ts ?? 0,
  };
}

/**
 * The side panel's status line. Data age is the control loop's when it reports one (the age of
 * the detector data its last decision used), else the age of the signal's last state.
 */
export function intersectionStatus(
  signal: SignalState | undefined,
  plan: SignalPlan | undefined,
  control: ControlIntersectionStatus | undefined,
  nowMs: number,
): IntersectionStatus {
  return {
    mode: signal?.mode ?? null,
    source: signal?.source ?? null,
    planId: signal?.planId ?? null,
    phase: signal?.phase ?? null,
    interval: signal?.interval ?? null,
    phaseElapsedS: signal?.phaseElapsedS ?? null,
    cycleS: signal?.cycleS ?? plan?.cycleS ?? null,
    plan: plan ?? null,
    dataAgeS: control?.dataAgeS ?? (signal ? Math.max(0, (nowMs - signal.ts) / 1000) : null),
    fallbackReason: control?.fallbackReason ?? null,
    faults: signal?.faults ?? [],
  };
}

/** Every approach of the intersection, in the network's order, with its latest counts or nulls. */
export function approachLive(
  def: Intersection,
  readings: ReadonlyMap<string, ApproachReading> | undefined,
): ApproachLive[] {
  return def.approaches.map((a) => {
    const r = readings?.get(a.dir);
    return {
      dir: a.dir,
      intensity: r?.intensity ?? null,
      queueLength: r?.queueLength ?? null,
      ts: r?.ts ?? null,
    };
  });
}
