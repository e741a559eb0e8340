import { describe, expect, it } from 'vitest';
import type { SignalPlan } from '../../protocol/index.ts';
import { corridorNetwork } from '../../simulators/model/corridor-network.ts';
import { coordinationFor, coordinationGroups, newGroupCycles } from './coordination.ts';

describe('corridor coordination', () => {
  const network = corridorNetwork({ intersections: 3, linkLengthM: 300, speedLimitKmh: 54 });

  it('groups arterial junctions within reach and times each after its upstream neighbour', () => {
    const g = coordinationGroups(network, 500);
    expect(new Set(g.groupOf.values()).size).toBe(1);
    expect(g.groupOf.size).toBe(3);
    // 300 m at 54 km/h = 20 s
    const travel = [...g.edges.values()].map((e) => Math.abs(e.travelS));
    expect(travel).toEqual([20, 20]);
  });

  it('leaves junctions farther apart than the reach alone', () => {
    expect(coordinationGroups(network, 200).groupOf.size).toBe(0);
  });

  it('gives the group the longest wanted cycle and offsets the follower by the travel time', () => {
    const g = coordinationGroups(network, 500);
    const cycles = newGroupCycles();
    const [edgeId, edge] = [...g.edges.entries()][0] ?? [];
    if (!edgeId || !edge) throw new Error('no edge');
    const parentPlan: SignalPlan = {
      ts: 0,
      planId: 'p',
      source: 'adaptive',
      cycleS: 90,
      offsetS: 10,
      phases: [
        { id: 'P1', movements: ['WT'], greenS: 55, yellowS: 3, allRedS: 2 },
        { id: 'P2', movements: ['NL'], greenS: 25, yellowS: 3, allRedS: 2 },
      ],
    };
    coordinationFor(edge.parent, 88, g, cycles, () => null, 15);
    const c = coordinationFor(edgeId, 70, g, cycles, (id) => (id === edge.parent ? parentPlan : null), 15);
    expect(c?.cycleS).toBe(90);
    // the parent releases its through platoon at the start of its through phase, 20 s away
    const releaseStart = edge.parentPhase === 'P2' ? 60 : 0;
    expect(c?.offsetS).toBe(10 + releaseStart + edge.travelS);
    expect(c?.alignPhase).toBe(edge.ownPhase ?? undefined);
  });
});
