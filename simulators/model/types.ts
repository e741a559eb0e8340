import type { Approach } from '../../protocol/index.ts';
import type { Demand } from './demand.ts';
import type { SignalColor } from './plan-signals.ts';

export interface TrafficModelOptions {
  readonly seed: number;
  /** Wall clock of t = 0, ms since epoch: the time of day for demand and stored plans. */
  readonly startMs: number;
  /** Fixed step, s (default 1). */
  readonly stepS?: number;
  /** Multiplies every entry rate (default 1). */
  readonly demandScale?: number;
  /** Saturation flow of a lane where the network sets none, veh/h (default 1,800). */
  readonly saturationFlowVehPerHLane?: number;
  /** Start-up lost time at the beginning of green, s (default 2). */
  readonly startupLostS?: number;
  /** Local time for the demand profile and plan schedules, minutes east of UTC (default 180, Moscow). */
  readonly utcOffsetMin?: number;
  /** Entry rates and turning ratios (default `timeOfDayDemand()`). */
  readonly demand?: Demand;
}

export interface ApproachObservation {
  /** Vehicles that reached the stop line so far (cumulative). */
  readonly arrivals: number;
  /** Vehicles that crossed the stop line so far (cumulative). */
  readonly departures: number;
  readonly queueVeh: number;
  /** Fraction of the last step the stop-line detection zone was occupied. */
  readonly occupancy: number;
  /** Mean speed of the vehicles that crossed in the last step (speed limit when none and no queue). */
  readonly meanSpeedKmh: number;
  /** Seconds since a vehicle last reached the stop line (Infinity: never). */
  readonly lastArrivalAgeS: number;
  /** Cumulative seconds the zone was occupied: difference two readings for an interval's occupancy. */
  readonly occupiedS: number;
  /** Cumulative sum of departing vehicles' speeds: difference and divide by departures for a mean. */
  readonly speedSumKmh: number;
}

export interface MovementObservation {
  readonly queueVeh: number;
  readonly arrivals: number;
  readonly departures: number;
  /** Its out link is full: it cannot discharge whatever its signal shows. */
  readonly downstreamFull: boolean;
  readonly signal: SignalColor;
}

export interface IntersectionMetrics {
  readonly id: string;
  /** Delay of vehicles that crossed its stop lines so far, vehicle-seconds. */
  readonly delayVehS: number;
  readonly departures: number;
  readonly queueVeh: number;
  readonly maxQueueVeh: number;
}

export interface TrafficMetrics {
  readonly timeS: number;
  /** Vehicles that entered the network. Conservation: entered = exited + onNetwork. */
  readonly entered: number;
  readonly exited: number;
  readonly onNetwork: number;
  /** Vehicles that arrived but wait outside because their entry link is full. */
  readonly waitingToEnter: number;
  /** Mean delay of the vehicles that left the network, s. */
  readonly avgDelayS: number;
  /** Delay of every vehicle so far (finished, on the network, waiting outside), vehicle-seconds. */
  readonly totalDelayVehS: number;
  /** Stops per vehicle that left the network. */
  readonly stopsPerVehicle: number;
  readonly totalStops: number;
  /** Longest lane-group queue seen so far, vehicles. */
  readonly maxQueueVeh: number;
  /** Vehicles leaving the network per hour since t = 0. */
  readonly throughputVehPerH: number;
  /** Stop-line crossings at all intersections so far. */
  readonly departures: number;
  readonly perIntersection: readonly IntersectionMetrics[];
}

export interface TrafficModel {
  readonly timeS: number;
  readonly nowMs: number;
  readonly stepS: number;
  /** Advance one step. */
  step(): void;
  /** Show exactly these colours at the intersection from now on (missing movements: red). */
  setSignals(intersectionId: string, state: ReadonlyMap<string, SignalColor>): void;
  /** Return the intersection to its stored plans. */
  releaseSignals(intersectionId: string): void;
  signalState(intersectionId: string): ReadonlyMap<string, SignalColor>;
  observeApproach(intersectionId: string, approach: Approach): ApproachObservation;
  observeMovement(intersectionId: string, movementId: string): MovementObservation;
  /** Close `lanes` lanes of a link until model time `untilS`: its stop line discharges proportionally less. */
  blockLane(linkId: string, lanes: number, untilS: number): void;
  metrics(): TrafficMetrics;
}
