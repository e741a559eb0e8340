import { describe, expect, it } from 'vitest';
import { emptyApproachEstimate, intervalsSince, isFresh, updateApproach } from './approach-estimate.ts';
import { defaultEstimatorConfig as cfg, EstimatorConfig } from './estimator-config.ts';

const counts = (ts: number, intensity: number, extra: Record<string, number> = {}) => ({
  ts,
  intervalS: 5,
  intensity,
  ...extra,
});

describe('approach estimate', () => {
  it('takes the first plausible count as the flow', () => {
    const e = updateApproach(emptyApproachEstimate, counts(5000, 1), 5400, cfg);
    expect(e.flowVehPerH).toBe(720);
    expect(e.accepted).toBe(1);
  });

  it('smooths noisy counts to the underlying rate', () => {
    // 600 veh/h = 0.833 veh per 5 s; deterministic noise alternating 0,1,2,0,1,... mean 5/6
    const pattern = [0, 1, 2, 1, 0, 1];
    let e = emptyApproachEstimate;
    for (let i = 1; i <= 600; i++)
      e = updateApproach(e, counts(i * 5000, pattern[i % 6] as number), 5400, cfg);
    expect(e.flowVehPerH).toBeGreaterThan(540);
    expect(e.flowVehPerH).toBeLessThan(660);
    expect(e.slowFlowVehPerH).toBeGreaterThan(570);
    expect(e.slowFlowVehPerH).toBeLessThan(630);
  });

  it('drops a count no approach could carry, and counts the drop', () => {
    const e0 = updateApproach(emptyApproachEstimate, counts(5000, 1), 5400, cfg);
    // 40 vehicles in 5 s = 28,800 veh/h on a 5,400 veh/h approach: a miscounting camera
    const e1 = updateApproach(e0, counts(10_000, 40), 5400, cfg);
    expect(e1.flowVehPerH).toBe(720);
    expect(e1.dropped).toBe(1);
  });

  it('drops repeated or out-of-order intervals', () => {
    const e0 = updateApproach(emptyApproachEstimate, counts(5000, 1), 5400, cfg);
    const e1 = updateApproach(e0, counts(5000, 3), 5400, cfg);
    expect(e1).toEqual({ ...e0, dropped: 1 });
  });

  it('adds queue growth to stop-line counts to recover demand', () => {
    const dep = EstimatorConfig.parse({ countsAre: 'departures' });
    const e0 = updateApproach(emptyApproachEstimate, counts(5000, 0, { queueLength: 2 }), 5400, dep);
    // 0 departed while the queue grew by 2: 2 arrivals in 5 s = 1,440 veh/h
    expect(e0.flowVehPerH).toBe(1440);
    const e1 = updateApproach(e0, counts(10_000, 3, { queueLength: 0 }), 5400, dep);
    expect(e1.queueVeh).toBe(0);
  });

  it('goes stale after the configured number of intervals', () => {
    const e = updateApproach(emptyApproachEstimate, counts(5000, 1), 5400, cfg);
    expect(intervalsSince(e, 15_000, cfg)).toBe(2);
    expect(isFresh(e, 20_000, cfg)).toBe(true);
    expect(isFresh(e, 20_001, cfg)).toBe(false);
    expect(isFresh(emptyApproachEstimate, 0, cfg)).toBe(false);
  });
});

describe('residual queue', () => {
  it('is the smallest queue over the window, not the red-time queue of the moment', () => {
    let e = emptyApproachEstimate;
    // a cycle of queues: builds on red to 12, clears to 3 after green
    const queues = [3, 6, 9, 12, 8, 3, 6, 9, 12];
    queues.forEach((q, i) => {
      e = updateApproach(e, counts((i + 1) * 5000, 1, { queueLength: q }), 5400, cfg);
    });
    expect(e.queueVeh).toBe(12);
    expect(e.residualQueueVeh).toBe(3);
  });
});
