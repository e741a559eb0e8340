import { describe, expect, it } from 'vitest';
import { generateNetwork } from '../../simulators/index.ts';
import { parseControlConfig } from './control-config.ts';
import { applyCounts, type IntersectionState, newIntersectionState } from './intersection-state.ts';
import { planTick } from './plan-tick.ts';

const cfg = parseControlConfig();
const t0 = Date.UTC(2026, 0, 12, 5, 0);

function cityWithCounts() {
  const network = generateNetwork({ intersections: 9, seed: 3, buildings: 0 });
  const byId = new Map(network.intersections.map((i) => [i.id, i]));
  const states = new Map<string, IntersectionState>(
    network.intersections.map((i) => [i.id, newIntersectionState()]),
  );
  for (const [k, cam] of network.cameras.entries()) {
    const i = byId.get(cam.intersectionId);
    const state = states.get(cam.intersectionId);
    if (i && state)
      applyCounts(
        state,
        i,
        cam.approach,
        { ts: t0, intervalS: 5, intensity: 3 + (k % 7), queueLength: k % 4 },
        cfg,
      );
  }
  return { network, states };
}

describe('planTick: choosing the junctions to decide', () => {
  it('decides exactly the given ids, in their order, skipping unknown ones', () => {
    const { network, states } = cityWithCounts();
    const ids = network.intersections.map((i) => i.id);
    const pick = [ids[4], ids[1], 'I-nowhere', ids[7]] as string[];
    const out = planTick({
      network,
      states,
      controller: 'adaptive',
      nowMs: t0,
      cfg,
      ids: pick,
      commit: false,
    });
    expect(out.map((d) => d.intersectionId)).toEqual([ids[4], ids[1], ids[7]]);
  });

  it('gives the same decisions by ids as by a predicate over the whole city', () => {
    const a = cityWithCounts();
    const b = cityWithCounts();
    const chosen = new Set(a.network.intersections.filter((_i, k) => k % 3 === 0).map((i) => i.id));
    const byIds = planTick({ ...a, controller: 'adaptive', nowMs: t0, cfg, ids: chosen });
    const byOnly = planTick({ ...b, controller: 'adaptive', nowMs: t0, cfg, only: (i) => chosen.has(i.id) });
    expect(byIds.length).toBe(chosen.size);
    expect(byIds).toEqual(byOnly);
  });
});
