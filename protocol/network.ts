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
    /**
     * Pairs `[a, b]` whose paths meet but which may be green together because `a` gives way to
     * `b`: a permitted left turn to opposing traffic, a turning vehicle to pedestrians.
     */
    yields: z.array(z.tuple([z.string(), z.string()])).optional(),
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

/** One cross-reference problem, located like `intersections[3] (I-0003).movements[2].laneGroup`. */
export interface NetworkIssue {
  readonly path: string;
  readonly message: string;
}

const CYCLE_TOLERANCE_S = 0.001;

/**
 * Cross-reference checks the schema alone cannot make: every referenced id exists, lane groups,
 * movements and phases agree, conflicts name known movements, and no phase or stored plan puts
 * two conflicting movements on green together. Returns at most `limit` issues (empty: valid).
 */
export function networkIssues(net: CityNetwork, limit = 50): NetworkIssue[] {
  const issues: NetworkIssue[] = [];
  const add = (path: string, message: string) => {
    if (issues.length < limit) issues.push({ path, message });
  };
  const links = uniqueIds(net.links, 'links', add);
  const intersections = uniqueIds(net.intersections, 'intersections', add);
  uniqueIds(net.cameras, 'cameras', add);
  const gateways = uniqueIds(net.gateways, 'gateways', add);
  uniqueIds(net.buildings, 'buildings', add);

  net.links.forEach((l, i) => {
    const at = `links[${i}] (${l.id})`;
    if (l.from !== null && !intersections.has(l.from)) add(`${at}.from`, `unknown intersection "${l.from}"`);
    if (l.to !== null && !intersections.has(l.to)) add(`${at}.to`, `unknown intersection "${l.to}"`);
    if ((l.to === null) !== (l.toApproach === null)) {
      add(`${at}.toApproach`, 'must be set exactly when "to" is set');
    }
    if (l.to === null && l.from === null) add(at, 'a link must touch at least one intersection');
  });
  net.intersections.forEach((x, i) => {
    checkIntersection(x, `intersections[${i}] (${x.id})`, links, add);
  });
  for (const [i, c] of net.cameras.entries()) {
    const at = `cameras[${i}] (${c.id})`;
    const x = intersections.get(c.intersectionId);
    const approach = x?.approaches.find((a) => a.dir === c.approach);
    if (!x) add(`${at}.intersectionId`, `unknown intersection "${c.intersectionId}"`);
    else if (!approach) add(`${at}.approach`, `intersection ${x.id} has no approach ${c.approach}`);
    else if (approach.inLink !== c.linkId) {
      add(
        `${at}.linkId`,
        `approach ${c.approach} of ${x.id} arrives on "${approach.inLink}", not "${c.linkId}"`,
      );
    }
  }
  const meterIds = new Set<string>();
  net.buildings.forEach((b, i) => {
    b.meters.forEach((m, j) => {
      const at = `buildings[${i}] (${b.id}).meters[${j}]`;
      if (meterIds.has(m.id)) add(`${at}.id`, `duplicate meter id "${m.id}"`);
      meterIds.add(m.id);
      if (m.gatewayId !== undefined && !gateways.has(m.gatewayId)) {
        add(`${at}.gatewayId`, `unknown gateway "${m.gatewayId}"`);
      }
    });
  });
  return issues;
}

function uniqueIds<T extends { id: string }>(
  items: readonly T[],
  name: string,
  add: (path: string, message: string) => void,
): Map<string, T> {
  const byId = new Map<string, T>();
  items.forEach((item, i) => {
    if (byId.has(item.id)) add(`${name}[${i}].id`, `duplicate id "${item.id}"`);
    else byId.set(item.id, item);
  });
  return byId;
}

function checkIntersection(
  x: Intersection,
  at: string,
  links: ReadonlyMap<string, Link>,
  add: (path: string, message: string) => void,
): void {
  const dirs = new Set<Approach>();
  for (const [j, a] of x.approaches.entries()) {
    const p = `${at}.approaches[${j}]`;
    if (dirs.has(a.dir)) add(`${p}.dir`, `duplicate approach ${a.dir}`);
    dirs.add(a.dir);
    const link = links.get(a.inLink);
    if (!link) add(`${p}.inLink`, `unknown link "${a.inLink}"`);
    else if (link.to !== x.id || link.toApproach !== a.dir) {
      add(`${p}.inLink`, `link "${a.inLink}" does not arrive at ${x.id} from ${a.dir}`);
    }
  }
  const groups = new Map<string, LaneGroup>();
  x.laneGroups.forEach((g, j) => {
    const p = `${at}.laneGroups[${j}]`;
    if (groups.has(g.id)) add(`${p}.id`, `duplicate lane group "${g.id}"`);
    groups.set(g.id, g);
    if (!dirs.has(g.approach)) add(`${p}.approach`, `no approach ${g.approach} at this intersection`);
  });
  const known = new Set<string>();
  x.movements.forEach((m, j) => {
    const p = `${at}.movements[${j}]`;
    if (known.has(m.id)) add(`${p}.id`, `duplicate movement "${m.id}"`);
    known.add(m.id);
    if (!dirs.has(m.approach)) add(`${p}.approach`, `no approach ${m.approach} at this intersection`);
    const g = groups.get(m.laneGroup);
    if (!g) add(`${p}.laneGroup`, `unknown lane group "${m.laneGroup}"`);
    else if (g.approach !== m.approach || !g.turns.includes(m.turn)) {
      add(`${p}.laneGroup`, `lane group "${g.id}" does not carry ${m.approach} ${m.turn} traffic`);
    }
    if (m.outLink !== null) {
      const out = links.get(m.outLink);
      if (!out) add(`${p}.outLink`, `unknown link "${m.outLink}"`);
      else if (out.from !== x.id) add(`${p}.outLink`, `link "${m.outLink}" does not leave ${x.id}`);
    }
  });
  x.pedestrianCrossings.forEach((c, j) => {
    if (known.has(c.id)) add(`${at}.pedestrianCrossings[${j}].id`, `duplicate movement "${c.id}"`);
    known.add(c.id);
  });
  const conflicting = new Set<string>();
  const pairKey = (a: string, b: string) => (a < b ? `${a}|${b}` : `${b}|${a}`);
  const checkPairs = (pairs: readonly (readonly [string, string])[], name: string) => {
    pairs.forEach(([a, b], j) => {
      const p = `${at}.${name}[${j}]`;
      if (!known.has(a)) add(p, `unknown movement "${a}"`);
      else if (!known.has(b)) add(p, `unknown movement "${b}"`);
      else if (a === b) add(p, `a movement cannot pair with itself ("${a}")`);
    });
  };
  checkPairs(x.conflicts, 'conflicts');
  checkPairs(x.yields ?? [], 'yields');
  for (const [a, b] of x.conflicts) conflicting.add(pairKey(a, b));
  const checkPhase = (movements: readonly string[], p: string) => {
    movements.forEach((m, k) => {
      if (!known.has(m)) add(`${p}.movements[${k}]`, `unknown movement "${m}"`);
      for (let l = 0; l < k; l++) {
        const other = movements[l] as string;
        if (conflicting.has(pairKey(m, other)))
          add(`${p}.movements`, `conflicting movements "${other}" and "${m}"`);
      }
    });
  };
  for (const [j, ph] of x.phases.entries()) checkPhase(ph.movements, `${at}.phases[${j}] (${ph.id})`);
  const plans = new Set<string>();
  x.plans.forEach((plan, j) => {
    const p = `${at}.plans[${j}] (${plan.id})`;
    if (plans.has(plan.id)) add(`${p}.id`, `duplicate plan "${plan.id}"`);
    plans.add(plan.id);
    for (const [k, ph] of plan.phases.entries()) checkPhase(ph.movements, `${p}.phases[${k}] (${ph.id})`);
    const sum = plan.phases.reduce((s, ph) => s + ph.greenS + ph.yellowS + ph.allRedS, 0);
    if (Math.abs(sum - plan.cycleS) > CYCLE_TOLERANCE_S) {
      add(`${p}.cycleS`, `cycle ${plan.cycleS} s differs from the sum of its phases (${sum} s)`);
    }
  });
  x.schedule.forEach((e, j) => {
    if (!plans.has(e.planId)) add(`${at}.schedule[${j}].planId`, `unknown plan "${e.planId}"`);
  });
}
