import type { Approach, Intersection, Link, Turn } from '../../protocol/index.ts';
import type { Random } from '../network/seeded-random.ts';

/** When a demand is asked for: model time, wall clock and local time of day. */
export interface DemandClock {
  /** Seconds since the model's t = 0. */
  readonly timeS: number;
  readonly wallMs: number;
  /** Minutes after local midnight, fractional. */
  readonly localMinute: number;
  readonly weekday: boolean;
}

/** What the model asks of a demand: entry rates and turning ratios. */
export interface Demand {
  /** Rate at which vehicles arrive at one entry link (`from: null`) at this moment, veh/h. */
  entryVehPerH(link: Link, at: DemandClock): number;
  /**
   * Turning shares for vehicles arriving on `approach` of `intersection`; missing turns count 0 and
   * the rest is renormalised over the movements that exist. Asked once, when the model is built.
   */
  turnRatios?(intersection: Intersection, approach: Approach): Partial<Record<Turn, number>> | undefined;
  /**
   * Vehicles starting a trip on an internal link (parking, garages), veh/h; none when absent.
   * Asked once per internal link per minute of model time.
   */
  sourceVehPerH?(link: Link, at: DemandClock): number;
  /** Share of vehicles entering an internal link that end their trip on it (default 0). */
  readonly tripEndShare?: number;
}

/** Turning shares by the road class of the arriving link, when a demand gives none. */
export const DEFAULT_TURN_RATIOS = {
  arterial: { L: 0.1, T: 0.8, R: 0.1 },
  side: { L: 0.2, T: 0.6, R: 0.2 },
} as const satisfies Record<'arterial' | 'side', Record<Turn, number>>;

/** Share of the peak rate, per hour of a weekday: AM peak 08:00, PM peak 18:00. */
const WEEKDAY_PROFILE = [
  0.1, 0.06, 0.05, 0.05, 0.08, 0.2, 0.45, 0.8, 1, 0.85, 0.6, 0.55, 0.55, 0.55, 0.6, 0.7, 0.85, 0.95, 1, 0.8,
  0.55, 0.4, 0.3, 0.18,
];
/** Weekends: no peaks, a broad midday hump. */
const WEEKEND_PROFILE = [
  0.15, 0.1, 0.07, 0.05, 0.05, 0.08, 0.15, 0.25, 0.35, 0.45, 0.55, 0.6, 0.65, 0.65, 0.65, 0.6, 0.6, 0.6, 0.55,
  0.5, 0.45, 0.35, 0.3, 0.2,
];

export interface TimeOfDayDemandOptions {
  /** Peak entry rate per lane of an entry link, veh/h (default arterial 400, side 180). */
  readonly peakVehPerHLane?: { readonly arterial: number; readonly side: number };
  /** Peak trips starting along internal links, veh/h per km of link (default arterial 40, side 20). */
  readonly peakSourceVehPerHKm?: { readonly arterial: number; readonly side: number };
  /** Share of vehicles ending their trip on each internal link they enter (default 0.05). */
  readonly tripEndShare?: number;
}

/**
 * The default: weekday AM and PM peaks and a weekend profile, interpolated within each hour.
 * Trips also start and end along the streets, so the middle of a big grid is as alive as its
 * edges.
 */
export function timeOfDayDemand(options: TimeOfDayDemandOptions = {}): Demand {
  const peak = options.peakVehPerHLane ?? { arterial: 400, side: 180 };
  const source = options.peakSourceVehPerHKm ?? { arterial: 40, side: 20 };
  return {
    entryVehPerH: (link, at) => link.lanes * peak[link.roadClass] * profileFactor(at),
    sourceVehPerH: (link, at) => (link.lengthM / 1000) * source[link.roadClass] * profileFactor(at),
    tripEndShare: options.tripEndShare ?? 0.05,
  };
}

/** Share of the peak at this moment (0..1) on the weekday or weekend profile. */
export function profileFactor(at: DemandClock): number {
  const profile = at.weekday ? WEEKDAY_PROFILE : WEEKEND_PROFILE;
  const h = (at.localMinute / 60) % 24;
  const k = Math.floor(h);
  const a = profile[k] ?? 0;
  const b = profile[(k + 1) % 24] ?? 0;
  return a + (b - a) * (h - k);
}

export interface ConstantDemandOptions {
  /** Entry rate of an arterial entry link, veh/h (whole link, not per lane). */
  readonly arterialVehPerH: number;
  readonly sideVehPerH: number;
  /** Turning shares used at every approach (default: by road class). */
  readonly turnRatios?: Partial<Record<Turn, number>>;
}

/** The same rates at every hour: a balanced grid, or over-saturation by raising them. */
export function constantDemand(options: ConstantDemandOptions): Demand {
  const turns = options.turnRatios;
  return {
    entryVehPerH: (link) => (link.roadClass === 'arterial' ? options.arterialVehPerH : options.sideVehPerH),
    ...(turns ? { turnRatios: () => turns } : {}),
  };
}

export interface RampDemandOptions {
  /** Rates at the start of the ramp (t = 0), veh/h per entry link. */
  readonly from: { readonly arterial: number; readonly side: number };
  /** Rates at the end of the ramp, held afterwards. */
  readonly to: { readonly arterial: number; readonly side: number };
  readonly overS: number;
  readonly turnRatios?: Partial<Record<Turn, number>>;
}

/** A morning-peak ramp: rates rise linearly from `from` to `to` over `overS` seconds of model time. */
export function rampDemand(options: RampDemandOptions): Demand {
  const turns = options.turnRatios;
  return {
    entryVehPerH(link, at) {
      const f = Math.min(1, Math.max(0, at.timeS / options.overS));
      const k = link.roadClass;
      return options.from[k] + (options.to[k] - options.from[k]) * f;
    },
    ...(turns ? { turnRatios: () => turns } : {}),
  };
}

/**
 * Rates per entry link id (an asymmetric arterial with light side streets), falling back to
 * `fallback` for links not listed; turning shares per `${intersectionId}:${approach}`.
 */
export function perLinkDemand(
  ratesVehPerH: ReadonlyMap<string, number>,
  fallback: Demand,
  turnRatios?: ReadonlyMap<string, Partial<Record<Turn, number>>>,
): Demand {
  return {
    entryVehPerH: (link, at) => ratesVehPerH.get(link.id) ?? fallback.entryVehPerH(link, at),
    turnRatios: (x, a) => turnRatios?.get(`${x.id}:${a}`) ?? fallback.turnRatios?.(x, a),
  };
}

/**
 * A Poisson-distributed count with mean `mean`: Knuth's product method for small means, a
 * rounded normal approximation above 30 (entry rates per step are far below that in practice).
 */
export function poisson(mean: number, rand: Random): number {
  if (mean <= 0) return 0;
  if (mean > 30) {
    const u = Math.max(rand.next(), 1e-12);
    const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand.next());
    return Math.max(0, Math.round(mean + Math.sqrt(mean) * z));
  }
  const limit = Math.exp(-mean);
  let k = 0;
  let p = rand.next();
  while (p > limit) {
    k++;
    p *= rand.next();
  }
  return k;
}
