import type { Approach, CityNetwork, Intersection, StoredPlan, Turn } from '../../protocol/index.ts';
import { DEFAULT_TURN_RATIOS, type Demand } from './demand.ts';

/** Average space a queued vehicle takes, m: storage of a link is length × lanes / this. */
export const VEHICLE_SPACING_M = 7;
export const DIR_INDEX: Record<Approach, number> = { N: 0, E: 1, S: 2, W: 3 };
const TURNS: readonly Turn[] = ['L', 'T', 'R'];

/** A stored plan as flat arrays, so a step finds every movement's colour without allocating. */
export interface CompiledPlan {
  readonly id: string;
  readonly cycleS: number;
  readonly offsetS: number;
  /** Per phase, seconds from cycle start: end of green, end of yellow, end of all-red. */
  readonly greenEnd: Float64Array;
  readonly yellowEnd: Float64Array;
  readonly phaseEnd: Float64Array;
  /** Per phase, bit j set when the intersection's j-th vehicle movement is in it. */
  readonly masks: Uint32Array;
}

/**
 * The network turned into index arrays: links, lane groups and movements numbered globally, so
 * the model's step is loops over typed arrays. Built once per model.
 */
export interface CompiledNetwork {
  readonly network: CityNetwork;
  readonly nLinks: number;
  readonly linkId: readonly string[];
  readonly linkIndex: ReadonlyMap<string, number>;
  readonly linkFfS: Float64Array;
  readonly linkLanes: Float64Array;
  readonly linkStorage: Int32Array;
  /** Downstream intersection, −1 when the link leaves the network. */
  readonly linkTo: Int32Array;
  /** Approach slot (intersection × 4 + dir) the link feeds, −1 for exit links. */
  readonly linkSlot: Int32Array;
  readonly linkSpeedKmh: Float64Array;
  /** Movement choice on entering the link: choiceMov[choiceStart[l] .. + choiceCount[l]) with cumulative shares. */
  readonly choiceStart: Int32Array;
  readonly choiceCount: Int32Array;
  readonly choiceMov: Int32Array;
  readonly choiceCum: Float64Array;
  readonly entryLinks: Int32Array;
  /** Links between two intersections: where trips may start and end along the street. */
  readonly internalLinks: Int32Array;

  readonly nGroups: number;
  readonly groupLanes: Float64Array;
  /** Saturation flow of one lane, veh/s. */
  readonly groupSatPerLaneS: Float64Array;
  readonly groupInter: Int32Array;

  readonly nMovements: number;
  readonly movId: readonly string[];
  readonly movInter: Int32Array;
  readonly movGroup: Int32Array;
  readonly movInLink: Int32Array;
  /** Out link, −1 when the movement leaves the network. */
  readonly movOut: Int32Array;
  readonly movSlot: Int32Array;
  /** Vehicle movements this one gives way to: yieldTo[yieldStart[m] .. + yieldCount[m]). */
  readonly yieldStart: Int32Array;
  readonly yieldCount: Int32Array;
  readonly yieldTo: Int32Array;

  readonly nInter: number;
  readonly interId: readonly string[];
  readonly interIndex: ReadonlyMap<string, number>;
  /** Movements of intersection i are movFirst[i] .. movFirst[i + 1] − 1. */
  readonly movFirst: Int32Array;
  readonly groupFirst: Int32Array;
  readonly movIndexByInter: readonly ReadonlyMap<string, number>[];
  readonly plans: readonly (readonly CompiledPlan[])[];
}

export function compileNetwork(
  net: CityNetwork,
  demand: Demand,
  saturationVehPerHLane: number,
): CompiledNetwork {
  const nLinks = net.links.length;
  const linkIndex = new Map(net.links.map((l, i) => [l.id, i]));
  const interIndex = new Map(net.intersections.map((x, i) => [x.id, i]));
  const linkFfS = new Float64Array(nLinks);
  const linkLanes = new Float64Array(nLinks);
  const linkStorage = new Int32Array(nLinks);
  const linkTo = new Int32Array(nLinks).fill(-1);
  const linkSlot = new Int32Array(nLinks).fill(-1);
  const linkSpeedKmh = new Float64Array(nLinks);
  const entry: number[] = [];
  const internal: number[] = [];
  net.links.forEach((l, i) => {
    linkFfS[i] = l.lengthM / (l.speedLimitKmh / 3.6);
    linkLanes[i] = l.lanes;
    linkStorage[i] = Math.max(1, Math.floor((l.lengthM * l.lanes) / VEHICLE_SPACING_M));
    linkSpeedKmh[i] = l.speedLimitKmh;
    const to = l.to === null ? undefined : interIndex.get(l.to);
    if (to !== undefined && l.toApproach !== null) {
      linkTo[i] = to;
      linkSlot[i] = to * 4 + DIR_INDEX[l.toApproach];
    }
    if (l.from === null && to !== undefined) entry.push(i);
    if (l.from !== null && to !== undefined) internal.push(i);
  });

  const movId: string[] = [];
  const movInter: number[] = [];
  const movGroup: number[] = [];
  const movInLink: number[] = [];
  const movOut: number[] = [];
  const movSlot: number[] = [];
  const groupLanes: number[] = [];
  const groupSat: number[] = [];
  const groupInter: number[] = [];
  const movFirst = new Int32Array(net.intersections.length + 1);
  const groupFirst = new Int32Array(net.intersections.length + 1);
  const movIndexByInter: Map<string, number>[] = [];
  const plans: CompiledPlan[][] = [];
  const yieldLists: number[][] = [];
  // Choice tables are collected per approach slot, then attached to the link feeding it.
  const slotChoices = new Map<number, { mov: number[]; share: number[] }>();

  net.intersections.forEach((x, i) => {
    movFirst[i] = movId.length;
    groupFirst[i] = groupLanes.length;
    const groupIndex = new Map<string, number>();
    for (const g of x.laneGroups) {
      groupIndex.set(g.id, groupLanes.length);
      groupLanes.push(g.lanes);
      groupSat.push((g.saturationFlowVehPerHLane ?? saturationVehPerHLane) / 3600);
      groupInter.push(i);
    }
    const local = new Map<string, number>();
    const inLinkOf = new Map(x.approaches.map((a) => [a.dir, linkIndex.get(a.inLink) ?? -1]));
    for (const m of x.movements) {
      local.set(m.id, movId.length);
      movId.push(m.id);
      movInter.push(i);
      movGroup.push(groupIndex.get(m.laneGroup) ?? -1);
      movInLink.push(inLinkOf.get(m.approach) ?? -1);
      movOut.push(m.outLink === null ? -1 : (linkIndex.get(m.outLink) ?? -1));
      movSlot.push(i * 4 + DIR_INDEX[m.approach]);
      yieldLists.push([]);
    }
    for (const [a, b] of x.yields ?? []) {
      const ma = local.get(a);
      const mb = local.get(b);
      if (ma !== undefined && mb !== undefined) yieldLists[ma]?.push(mb);
    }
    movIndexByInter.push(local);
    plans.push(x.plans.map((p) => compilePlan(p, x)));
    for (const a of x.approaches) {
      const inLink = net.links[linkIndex.get(a.inLink) ?? -1];
      const ratios = demand.turnRatios?.(x, a.dir) ?? DEFAULT_TURN_RATIOS[inLink?.roadClass ?? 'side'];
      const mov: number[] = [];
      const share: number[] = [];
      for (const t of TURNS) {
        const m = x.movements.find((v) => v.approach === a.dir && v.turn === t);
        const r = ratios[t] ?? 0;
        if (m && r > 0) {
          mov.push(local.get(m.id) ?? -1);
          share.push(r);
        }
      }
      slotChoices.set(i * 4 + DIR_INDEX[a.dir], { mov, share });
    }
  });
  movFirst[net.intersections.length] = movId.length;
  groupFirst[net.intersections.length] = groupLanes.length;

  const choiceStart = new Int32Array(nLinks);
  const choiceCount = new Int32Array(nLinks);
  const choiceMov: number[] = [];
  const choiceCum: number[] = [];
  for (let l = 0; l < nLinks; l++) {
    const c = slotChoices.get(linkSlot[l] ?? -1);
    choiceStart[l] = choiceMov.length;
    if (!c || c.mov.length === 0) continue;
    const total = c.share.reduce((s, x) => s + x, 0);
    let cum = 0;
    c.mov.forEach((m, k) => {
      cum += (c.share[k] ?? 0) / total;
      choiceMov.push(m);
      choiceCum.push(k === c.mov.length - 1 ? 1 : cum);
    });
    choiceCount[l] = c.mov.length;
  }

  const yieldStart = new Int32Array(movId.length);
  const yieldCount = new Int32Array(movId.length);
  const yieldTo: number[] = [];
  yieldLists.forEach((list, m) => {
    yieldStart[m] = yieldTo.length;
    yieldCount[m] = list.length;
    yieldTo.push(...list);
  });

  return {
    network: net,
    nLinks,
    linkId: net.links.map((l) => l.id),
    linkIndex,
    linkFfS,
    linkLanes,
    linkStorage,
    linkTo,
    linkSlot,
    linkSpeedKmh,
    choiceStart,
    choiceCount,
    choiceMov: Int32Array.from(choiceMov),
    choiceCum: Float64Array.from(choiceCum),
    entryLinks: Int32Array.from(entry),
    internalLinks: Int32Array.from(internal),
    nGroups: groupLanes.length,
    groupLanes: Float64Array.from(groupLanes),
    groupSatPerLaneS: Float64Array.from(groupSat),
    groupInter: Int32Array.from(groupInter),
    nMovements: movId.length,
    movId,
    movInter: Int32Array.from(movInter),
    movGroup: Int32Array.from(movGroup),
    movInLink: Int32Array.from(movInLink),
    movOut: Int32Array.from(movOut),
    movSlot: Int32Array.from(movSlot),
    yieldStart,
    yieldCount,
    yieldTo: Int32Array.from(yieldTo),
    nInter: net.intersections.length,
    interId: net.intersections.map((x) => x.id),
    interIndex,
    movFirst,
    groupFirst,
    movIndexByInter,
    plans,
  };
}

function compilePlan(plan: StoredPlan, x: Intersection): CompiledPlan {
  const n = plan.phases.length;
  const greenEnd = new Float64Array(n);
  const yellowEnd = new Float64Array(n);
  const phaseEnd = new Float64Array(n);
  const masks = new Uint32Array(n);
  const local = new Map(x.movements.map((m, j) => [m.id, j]));
  let t = 0;
  plan.phases.forEach((ph, k) => {
    greenEnd[k] = t + ph.greenS;
    yellowEnd[k] = t + ph.greenS + ph.yellowS;
    t += ph.greenS + ph.yellowS + ph.allRedS;
    phaseEnd[k] = t;
    let mask = 0;
    for (const m of ph.movements) {
      const j = local.get(m);
      if (j !== undefined && j < 32) mask |= 1 << j;
    }
    masks[k] = mask >>> 0;
  });
  return { id: plan.id, cycleS: plan.cycleS, offsetS: plan.offsetS, greenEnd, yellowEnd, phaseEnd, masks };
}
