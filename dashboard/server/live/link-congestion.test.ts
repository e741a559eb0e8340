import { describe, expect, it } from 'vitest';
import { tinyNetwork } from '../test-support/tiny-network.ts';
import { linkFromCounts } from './link-congestion.ts';

// 300 m, 2 lanes: capacity 2 × 1,800 × 0.45 = 1,620 veh/h, storage 600 / 7 ≈ 85.7 vehicles.
const link = tinyNetwork().links.find((l) => l.id === 'A-in-N');
if (!link) throw new Error('tiny network has no A-in-N');

describe('linkFromCounts', () => {
  it('turns a count over its interval into hourly flow and v/c congestion', () => {
    const l = linkFromCounts(link, { ts: 0, intervalS: 60, intensity: 9 });
    expect(l.flowVehPerH).toBe(540);
    expect(l.congestion).toBeCloseTo(540 / 1620, 6);
    expect(l.speedKmh).toBeNull();
  });

  it('takes the queue share when the queue fills more of the link than the flow its capacity', () => {
    const l = linkFromCounts(link, { ts: 0, intervalS: 60, intensity: 1, queueLength: 60 });
    expect(l.congestion).toBeCloseTo(60 / (600 / 7), 6);
  });

  it('clamps congestion to 1 and passes the average speed on', () => {
    const l = linkFromCounts(link, { ts: 0, intervalS: 60, intensity: 60, averageVehicleSpeed: 12 });
    expect(l.congestion).toBe(1);
    expect(l.speedKmh).toBe(12);
  });
});
