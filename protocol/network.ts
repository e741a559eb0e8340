import { z } from 'zod';
import { Approach, EntityId, MeterKind } from './ids.ts';
import { PlanPhase } from './signal-plan.ts';

/**
 * The city network model, file format `city-network` v1 (see docs/network-format.md).
 * Shared by the simulator (which generates and plays it), the control loop (which times its
 * signals) and the dashboard (which draws it). Coordinates are WGS84 `[lon, lat]`.
 *
 * Conventions: traffic drives on the right. An approach is named after the side of the junction
 * the vehicles come FROM (approach `N` carries southbound traffic). Movement ids are
 * `{approach}{turn}` with turn L/T/R (`NT` = from north, through); pedestrian crossings are `P{leg}`.
 */

export const LonLat = z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]);
export type LonLat = z.infer<typeof LonLat>;

export const Turn = z.enum(['L', 'T', 'R']);
export type Turn = z.infer<typeof Turn>;

export const LaneGroup = z
  .object({
    id: z.string().min(1).max(64),
    approach: Approach,
    lanes: z.number().int().min(1).max(8),
    turns: z.array(Turn).min(1).max(3),
    /** Saturation flow per lane, veh/h; defaults to the model's (about 1,800). */
    saturationFlowVehPerHLane: z.number().positive().max(3000).optional(),
  })
  .strict();
export type LaneGroup = z.infer<typeof LaneGroup>;

export const VehicleMovement = z
  .object({
    id: z.string().min(1).max(64),
    approach: Approach,
    turn: Turn,
    laneGroup: z.string().min(1).max(64),
    /** Link the movement leaves by (null when it leaves the modelled network). */
    outLink: EntityId.nullable(),
  })
  .strict();
export type VehicleMovement = z.infer<typeof VehicleMovement>;

export const PedestrianCrossing = z
  .object({
    id: z.string().min(1).max(64),
    /** The leg of the junction it crosses. */
    leg: Approach,
    lengthM: z.number().positive().max(100),
  })
  .strict();
export type PedestrianCrossing = z.infer<typeof PedestrianCrossing>;

export const IntersectionApproach = z
  .object({
    dir: Approach,
    /** Link arriving on this approach. */
    inLink: EntityId,
    lanes: z.number().int().min(1).max(8),
    speedLimitKmh: z.number().positive().max(130),
  })
  .strict();
export type IntersectionApproach = z.infer<typeof IntersectionApproach>;

/** A phase: the set of movements (vehicle and pedestrian ids) that may be green together. */
export const PhaseDef = z
  .object({
    id: z.string().min(1).max(64),
    movements: z.array(z.string().min(1).max(64)).min(1).max(32),
  })
  .strict();
export type PhaseDef = z.infer<typeof PhaseDef>;

/** A stored timing plan (what engineers tuned by hand), as sent on the plan topic minus ts/source. */
export const StoredPlan = z
  .object({
    id: z.string().min(1).max(128),
    cycleS: z.number().positive().max(600),
    offsetS: z.number().min(0).max(600),
    phases: z.array(PlanPhase).min(1).max(16),
  })
  .strict();
export type StoredPlan = z.infer<typeof StoredPlan>;

/** Which stored plan runs when: from `startMin` (minutes after local midnight) until the next entry. */
export const PlanScheduleEntry = z
  .object({
    days: z.enum(['all', 'weekday', 'weekend']),
    startMin: z.number().int().min(0).max(1439),
    planId: z.string().min(1).max(128),
  })
  .strict();
export type PlanScheduleEntry = z.infer<typeof PlanScheduleEntry>;

export const Intersection = z
  .object({
    id: EntityId,
    name: z.string().max(200),
    position: LonLat,
    kind: z.enum(['cross', 'tee']),
    /** Distance across the junction box, m (clearance time and all-red). */
    widthM: z.number().positive().max(200),
    approaches: z.array(IntersectionApproach).min(2).max(4),
    laneGroups: z.array(LaneGroup).min(1),
    movements: z.array(VehicleMovement).min(1),
    pedestrianCrossings: z.array(PedestrianCrossing),
    /** Pairs of movement ids (vehicle or pedestrian) that must never be green together. */
    conflicts: z.array(z.tuple([z.string(), z.string()])),
    phases: z.array(PhaseDef).min(2).max(16),
    plans: z.array(StoredPlan).min(1),
    schedule: z.array(PlanScheduleEntry).min(1),
  })
  .strict();
export type Intersection = z.infer<typeof Intersection>;

export const Link = z
  .object({
    id: EntityId,
    /** Upstream intersection (null: the link enters the network here). */
    from: EntityId.nullable(),
    /** Downstream intersection (null: the link leaves the network). */
    to: EntityId.nullable(),
    /** Approach of `to` the link arrives on. */
    toApproach: Approach.nullable(),
    lengthM: z.number().positive().max(50_000),
    lanes: z.number().int().min(1).max(8),
    speedLimitKmh: z.number().positive().max(130),
    roadClass: z.enum(['arterial', 'side']),
    name: z.string().max(200).optional(),
    geometry: z.array(LonLat).min(2),
  })
  .strict();
export type Link = z.infer<typeof Link>;

export const Camera = z
  .object({
    id: EntityId,
    intersectionId: EntityId,
    approach: Approach,
    linkId: EntityId,
  })
  .strict();
export type Camera = z.infer<typeof Camera>;

export const Gateway = z.object({ id: EntityId, position: LonLat }).strict();
export type Gateway = z.infer<typeof Gateway>;

export const BuildingMeter = z
  .object({
    id: EntityId,
    kind: MeterKind,
    /** Gateway the meter reports through; absent when it publishes on its own. */
    gatewayId: EntityId.optional(),
  })
  .strict();
export type BuildingMeter = z.infer<typeof BuildingMeter>;

export const Building = z
  .object({
    id: EntityId,
    position: LonLat,
    use: z.enum(['residential', 'office', 'retail', 'public']),
    meters: z.array(BuildingMeter).min(1).max(8),
  })
  .strict();
export type Building = z.infer<typeof Building>;

export const CityNetwork = z
  .object({
    format: z.literal('city-network'),
    version: z.literal(1),
    name: z.string().min(1).max(200),
    center: LonLat,
    intersections: z.array(Intersection).min(1),
    links: z.array(Link).min(1),
    cameras: z.array(Camera),
    gateways: z.array(Gateway),
    buildings: z.array(Building),
  })
  .strict();
export type CityNetwork = z.infer<typeof CityNetwork>;
