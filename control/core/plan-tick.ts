import type { CityNetwork, Intersection } from '../../protocol/index.ts';
import type { ControlConfig, ControllerKind } from './control-config.ts';
import { coordinationFor, coordinationGroups, type GroupCycles, newGroupCycles } from './coordination.ts';
import { commitDecision, type Decision, decidePlan } from './decide-plan.ts';
import { type IntersectionState, newIntersectionState } from './intersection-state.ts';

export interface TickInput {
  readonly network: CityNetwork;
  readonly states: Map<string, IntersectionState>;
  readonly controller: ControllerKind | ReadonlyMap<string, ControllerKind>;
  readonly nowMs: number;
  /** The cycle boundary the plans start at (default `nowMs`). */
  readonly startsAtMs?: number;
  readonly cfg: ControlConfig;
  /** Which intersections to decide (default: all), e.g. those at a cycle boundary. */
  readonly only?: (intersection: Intersection) => boolean;
  /**
   * The ids of the intersections to decide, in this order (unknown ids are skipped): the loop's
   * few dozen junctions at a boundary without a pass over the whole city. Combines with `only`.
   */
  readonly ids?: Iterable<string>;
  /** Record the decisions as sent (default true). */
  readonly commit?: boolean;
}

/**
 * Plans for every (selected) intersection in one tick: spillback context from the downstream
 * approaches' queues, each junction's decision, and the envelope. The benchmarks time this.
 */
export function planTick(input: TickInput): Decision[] {
  const { network, states, nowMs, cfg } = input;
  const links = downstreamLinks(network);
  const groups = cfg.coordinateWithinM > 0 ? coordinationGroups(network, cfg.coordinateWithinM) : null;
  let cycles = groupCycles.get(states);
  if (!cycles) {
    cycles = newGroupCycles();
    groupCycles.set(states, cycles);
  }
  const shared = cycles;
  const out: Decision[] = [];
  const startsAt = input.startsAtMs ?? nowMs;
  for (const intersection of selected(network, input.ids)) {
    if (input.only && !input.only(intersection)) continue;
    let state = states.get(intersection.id);
    if (!state) {
      state = newIntersectionState();
      states.set(intersection.id, state);
    }
    const kind =
      typeof input.controller === 'string'
        ? input.controller
        : (input.controller.get(intersection.id) ?? 'fixed');
    const downstreamFullness = new Map<string, number>();
    for (const d of links.get(intersection.id) ?? []) {
      const q = states.get(d.to)?.approaches.get(d.toApproach)?.queueVeh ?? 0;
      const full = Math.min(1, q / d.storageVeh);
      if (full > (downstreamFullness.get(d.laneGroup) ?? 0)) downstreamFullness.set(d.laneGroup, full);
    }
    const coordinate =
      groups && kind === 'adaptive'
        ? (desired: number) =>
            coordinationFor(
              intersection.id,
              desired,
              groups,
              shared,
              (id) => states.get(id)?.lastPlan ?? null,
              cfg.controllers.adaptive.maxCycleStepS,
            )
        : undefined;
    const decision = decidePlan(
      intersection,
      state,
      kind,
      nowMs,
      cfg,
      coordinate ? { downstreamFullness, coordinate } : { downstreamFullness },
      startsAt,
    );
    if (input.commit !== false) commitDecision(state, decision, startsAt);
    out.push(decision);
  }
  return out;
}

function* selected(network: CityNetwork, ids: Iterable<string> | undefined): Iterable<Intersection> {
  if (ids === undefined) {
    yield* network.intersections;
    return;
  }
  let byId = intersectionsById.get(network);
  if (!byId) {
    byId = new Map(network.intersections.map((i) => [i.id, i]));
    intersectionsById.set(network, byId);
  }
  for (const id of ids) {
    const i = byId.get(id);
    if (i) yield i;
  }
}

const intersectionsById = new WeakMap<CityNetwork, Map<string, Intersection>>();

interface DownstreamLink {
  readonly laneGroup: string;
  readonly to: string;
  readonly toApproach: 'N' | 'E' | 'S' | 'W';
  /** Vehicles the link holds: length x lanes / 7 m per vehicle. */
  readonly storageVeh: number;
}

const cache = new WeakMap<CityNetwork, Map<string, DownstreamLink[]>>();
// A group's common cycle lives as long as the caller's state map (one per loop or evaluation run).
const groupCycles = new WeakMap<Map<string, IntersectionState>, GroupCycles>();

function downstreamLinks(network: CityNetwork): Map<string, DownstreamLink[]> {
  const hit = cache.get(network);
  if (hit) return hit;
  const byId = new Map(network.links.map((l) => [l.id, l]));
  const out = new Map<string, DownstreamLink[]>();
  for (const i of network.intersections) {
    const list: DownstreamLink[] = [];
    for (const m of i.movements) {
      const link = m.outLink ? byId.get(m.outLink) : undefined;
      if (!link || link.to === null || link.toApproach === null) continue;
      list.push({
        laneGroup: m.laneGroup,
        to: link.to,
        toApproach: link.toApproach,
        storageVeh: Math.max(1, (link.lengthM * link.lanes) / 7),
      });
    }
    out.set(i.id, list);
  }
  cache.set(network, out);
  return out;
}
