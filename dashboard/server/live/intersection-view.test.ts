import { describe, expect, it } from 'vitest';
import type { SignalState } from '../../../protocol/signal-state.ts';
import { tinyNetwork } from '../test-support/tiny-network.ts';
import { approachLive, intersectionStatus, liveIntersection } from './intersection-view.ts';

const def = tinyNetwork().intersections.find((i) => i.id === 'A');
if (!def) throw new Error('tiny network has no A');
const signal = {
  ts: 5000,
  planId: 'day',
  phase: 'NS',
  phaseElapsedS: 3,
  interval: 'green',
  mode: 'adaptive',
  source: 'control',
  cycleS: 90,
  faults: ['lamp'],
} as unknown as SignalState;

describe('liveIntersection', () => {
  it('sums approach queues and takes the worst incoming link', () => {
    const congestion: Record<string, number> = { 'A-in-N': 0.2, 'A-in-E': 0.9 };
    const item = liveIntersection(
      def,
      signal,
      [
        { intensity: 3, queueLength: 4, ts: 1 },
        { intensity: 1, queueLength: null, ts: 1 },
        { intensity: 2, queueLength: 6, ts: 1 },
      ],
      (id) => congestion[id] ?? 0,
      { intersectionId: 'A', fallbackReason: 'stale detectors', dataAgeS: 200 },
    );
    expect(item).toEqual({
      id: 'A',
      mode: 'adaptive',
      source: 'control',
      phase: 'NS',
      interval: 'green',
      planId: 'day',
      queueVeh: 10,
      congestion: 0.9,
      faults: ['lamp'],
      fallbackReason: 'stale detectors',
      ts: 5000,
    });
  });
});

describe('intersectionStatus', () => {
  it('takes the data age from the control loop when it reports one', () => {
    const s = intersectionStatus(
      signal,
      undefined,
      { intersectionId: 'A', fallbackReason: null, dataAgeS: 7 },
      65_000,
    );
    expect(s.dataAgeS).toBe(7);
    expect(s.cycleS).toBe(90);
  });
  it('else ages the last signal state', () => {
    expect(intersectionStatus(signal, undefined, undefined, 65_000).dataAgeS).toBe(60);
  });
  it('knows nothing of an intersection never heard from', () => {
    const s = intersectionStatus(undefined, undefined, undefined, 65_000);
    expect(s).toMatchObject({ mode: null, plan: null, dataAgeS: null, faults: [] });
  });
});

describe('approachLive', () => {
  it('lists every approach in network order, nulls where no camera reported', () => {
    const live = approachLive(def, new Map([['E', { intensity: 4, queueLength: 2, ts: 9 }]]));
    expect(live.map((a) => a.dir)).toEqual(def.approaches.map((a) => a.dir));
    expect(live.find((a) => a.dir === 'E')).toEqual({ dir: 'E', intensity: 4, queueLength: 2, ts: 9 });
    expect(live.find((a) => a.dir === 'N')).toEqual({
      dir: 'N',
      intensity: null,
      queueLength: null,
      ts: null,
    });
  });
});
