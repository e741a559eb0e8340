import type { Approach } from '../../protocol/index.ts';
import { type CompiledNetwork, DIR_INDEX } from './compile-network.ts';
import type { ModelArrays } from './model-arrays.ts';
import type { SignalColor } from './plan-signals.ts';
import type { ApproachObservation, MovementObservation, TrafficMetrics } from './types.ts';

/** Signal colours by their code in `movSignal`. */
export const COLORS: readonly SignalColor[] = ['red', 'yellow', 'green'];

export function readSignals(c: CompiledNetwork, a: ModelArrays, i: number): Map<string, SignalColor> {
  const out = new Map<string, SignalColor>();
  for (let m = c.movFirst[i] ?? 0; m < (c.movFirst[i + 1] ?? 0); m++) {
    out.set(c.movId[m] ?? '', COLORS[a.movSignal[m] ?? 0] ?? 'red');
  }
  return out;
}

export function readApproach(
  c: CompiledNetwork,
  a: ModelArrays,
  i: number,
  approach: Approach,
  timeS: number,
): ApproachObservation {
  const x = c.network.intersections[i];
  if (!x?.approaches.some((ap) => ap.dir === approach)) {
    throw new RangeError(`intersection ${x?.id} has no approach ${approach}`);
  }
  const s = i * 4 + DIR_INDEX[approach];
  const queueVeh = a.slotQueue[s] ?? 0;
  const deps = a.slotDepStep[s] ?? 0;
  const free = a.slotSpeedKmh[s] ?? 0;
  return {
    arrivals: a.slotArr[s] ?? 0,
    departures: a.slotDep[s] ?? 0,
    queueVeh,
    occupancy: a.slotOccStep[s] ?? 0,
    meanSpeedKmh: deps > 0 ? (a.slotSpeedStep[s] ?? 0) / deps : queueVeh > 0 ? 0 : free,
    lastArrivalAgeS: timeS - (a.slotLastArr[s] ?? Number.NEGATIVE_INFINITY),
    occupiedS: a.slotOccupied[s] ?? 0,
    speedSumKmh: a.slotSpeedSum[s] ?? 0,
  };
}

export function readMovement(c: CompiledNetwork, a: ModelArrays, m: number): MovementObservation {
  const out = c.movOut[m] ?? -1;
  return {
    queueVeh: a.movQueue[m] ?? 0,
    arrivals: a.movArr[m] ?? 0,
    departures: a.movDep[m] ?? 0,
    downstreamFull:
      out >= 0 && (c.linkTo[out] ?? -1) >= 0 && (a.linkCount[out] ?? 0) >= (c.linkStorage[out] ?? 0),
    signal: COLORS[a.movSignal[m] ?? 0] ?? 'red',
  };
}

/** The model's running totals that live outside the arrays. */
export interface ModelCounters {
  readonly timeS: number;
  readonly entered: number;
  readonly exited: number;
  readonly exitedDelay: number;
  readonly exitedStops: number;
  readonly totalStops: number;
  readonly waiting: number;
  readonly maxQueue: number;
  readonly departures: number;
  /** Delay so far of every vehicle: finished, on the network and waiting outside. */
  readonly delayVehS: number;
}

export function readMetrics(c: CompiledNetwork, a: ModelArrays, k: ModelCounters): TrafficMetrics {
  return {
    timeS: k.timeS,
    entered: k.entered,
    exited: k.exited,
    // Counted on the links, independently of entered − exited, so conservation is a real check.
    onNetwork: a.linkCount.reduce((sum, n) => sum + n, 0),
    waitingToEnter: k.waiting,
    avgDelayS: k.exited > 0 ? k.exitedDelay / k.exited : 0,
    totalDelayVehS: k.delayVehS,
    stopsPerVehicle: k.exited > 0 ? k.exitedStops / k.exited : 0,
    totalStops: k.totalStops,
    maxQueueVeh: k.maxQueue,
    throughputVehPerH: k.timeS > 0 ? (k.exited * 3600) / k.timeS : 0,
    departures: k.departures,
    perIntersection: c.interId.map((id, i) => ({
      id,
      delayVehS: a.interDelay[i] ?? 0,
      departures: a.interDep[i] ?? 0,
      queueVeh: a.interQueue[i] ?? 0,
      maxQueueVeh: a.interMaxQueue[i] ?? 0,
    })),
  };
}
