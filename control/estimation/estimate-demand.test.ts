import { describe, expect, it } from 'vitest';
import type { Approach } from '../../protocol/index.ts';
import { crossIntersection } from '../test-support/cross-intersection.ts';
import { type ApproachEstimate, emptyApproachEstimate, updateApproach } from './approach-estimate.ts';
import { estimateDemand } from './estimate-demand.ts';
import { EstimatorConfig } from './estimator-config.ts';

// Counts here are arrivals, so the queue does not add to the flow.
const cfg = EstimatorConfig.parse({ countsAre: 'arrivals' });

const junction = crossIntersection();

function reported(vehPer5s: number, ts: number, queue = 0): ApproachEstimate {
  return updateApproach(
    emptyApproachEstimate,
    { ts, intervalS: 5, intensity: vehPer5s, queueLength: queue },
    5400,
    cfg,
  );
}

const flowOf = (d: ReturnType<typeof estimateDemand>, id: string) => d.laneGroups.find((g) => g.id === id);

describe('lane-group demand', () => {
  it('splits an approach by turning shares over its lane groups', () => {
    const approaches = new Map<Approach, ApproachEstimate>([
      ['N', reported(2, 5000)],
      ['S', reported(1, 5000)],
      ['E', reported(1, 5000)],
      ['W', reported(1, 5000)],
    ]);
    const d = estimateDemand(junction, approaches, 6000, cfg);
    // N: 1,440 veh/h; L share 0.15, T+R 0.85
    expect(flowOf(d, 'N-L')?.flowVehPerH).toBeCloseTo(216, 6);
    expect(flowOf(d, 'N-TR')?.flowVehPerH).toBeCloseTo(1224, 6);
    expect(flowOf(d, 'N-TR')?.saturationVehPerH).toBe(3600);
    expect(d.freshApproaches).toBe(4);
    expect(d.imputed).toEqual([]);
  });

  it('imputes a silent camera from the opposite approach', () => {
    const approaches = new Map<Approach, ApproachEstimate>([
      ['N', reported(2, 5000, 10)],
      ['E', reported(1, 5000)],
      ['W', reported(1, 5000)],
    ]);
    const d = estimateDemand(junction, approaches, 6000, cfg);
    expect(flowOf(d, 'S-TR')?.flowVehPerH).toBeCloseTo(1224, 6);
    expect(flowOf(d, 'S-TR')?.queueVeh).toBeCloseTo(8.5, 6);
    expect(flowOf(d, 'S-TR')?.source).toBe('imputed');
    expect(d.imputed).toEqual(['S']);
  });

  it('falls back to the last known flow, then to the per-lane prior', () => {
    const approaches = new Map<Approach, ApproachEstimate>([
      ['N', reported(2, 5000)],
      ['E', reported(1, 100_000)],
      ['W', reported(1, 100_000)],
    ]);
    const d = estimateDemand(junction, approaches, 101_000, cfg);
    // N is stale (old count), S never reported: N keeps its last flow, S gets 3 lanes x 250 veh/h
    expect(flowOf(d, 'N-TR')?.flowVehPerH).toBeCloseTo(1224, 6);
    expect(flowOf(d, 'N-TR')?.source).toBe('imputed');
    expect(flowOf(d, 'S-TR')?.flowVehPerH).toBeCloseTo(750 * 0.85, 6);
    expect(flowOf(d, 'S-TR')?.source).toBe('prior');
    expect(d.freshApproaches).toBe(2);
  });

  it('does not trust a camera its signal reports faulty', () => {
    const approaches = new Map<Approach, ApproachEstimate>([
      ['N', reported(5, 5000)],
      ['S', reported(1, 5000)],
      ['E', reported(1, 5000)],
      ['W', reported(1, 5000)],
    ]);
    const d = estimateDemand(junction, approaches, 6000, cfg, 'fast', new Set<Approach>(['N']));
    expect(flowOf(d, 'N-TR')?.flowVehPerH).toBeCloseTo(720 * 0.85, 6);
    expect(d.freshApproaches).toBe(3);
  });
});
