import { describe, expect, it } from 'vitest';
import { LatencyHistogram } from '../lib/percentiles.ts';
import { cameraFleet, dealDevices, fleetOf, mergeStats, ratePerSec } from './fleet.ts';
import { profiles } from './profiles.ts';
import type { WorkerStats } from './worker-protocol.ts';

function stats(over: Partial<WorkerStats>, samples: number[]): WorkerStats {
  const h = new LatencyHistogram();
  for (const s of samples) h.record(s);
  return {
    childIndex: 0,
    connected: 0,
    connectFailed: 0,
    closedUnexpectedly: 0,
    sent: 0,
    acked: 0,
    readingsAcked: 0,
    errors: 0,
    skipped: 0,
    inflight: 0,
    ackedByKind: { signal: 0, camera: 0, gateway: 0 },
    latency: h.toJSON(),
    ...over,
  };
}

describe('fleetOf', () => {
  it('builds the smoke fleet: signals, 4 cameras per intersection, gateways with their meters', () => {
    const f = fleetOf(profiles.smoke);
    expect(f.groups.map((g) => [g.kind, g.ids.length])).toEqual([
      ['signal', 10],
      ['camera', 40],
      ['gateway', 2],
    ]);
    // 10 signals + 40 cameras + 2 gateways + 2×20 meters
    expect(f.specs).toHaveLength(92);
    expect(new Set(f.specs.map((s) => s.id)).size).toBe(92);
    expect(f.specs.find((s) => s.id === 'cam-X00003-S')).toEqual({
      id: 'cam-X00003-S',
      type: 'camera',
      intersectionId: 'X00003',
      approach: 'S',
    });
    expect(f.specs.filter((s) => s.type === 'meter' && s.gatewayId === 'gw-00002')).toHaveLength(20);
  });

  it('a camera fleet offers the requested rate', () => {
    const g = cameraFleet(100, 25_000, 1).groups[0];
    // 100 cameras each every 4 ms = 25,000 msgs/s
    expect(g?.periodMs).toBe(4);
    expect(g?.ids).toHaveLength(100);
  });
});

describe('dealDevices', () => {
  it('deals round-robin so children get equal shares', () => {
    expect(dealDevices([1, 2, 3, 4, 5], 2)).toEqual([
      [1, 3, 5],
      [2, 4],
    ]);
  });
});

describe('mergeStats', () => {
  it('sums counters and merges latency across children', () => {
    const a = stats(
      { sent: 10, acked: 9, readingsAcked: 90, ackedByKind: { signal: 1, camera: 8, gateway: 0 } },
      [1, 2],
    );
    const b = stats(
      {
        sent: 5,
        acked: 5,
        readingsAcked: 5,
        firstError: 'boom',
        ackedByKind: { signal: 0, camera: 5, gateway: 0 },
      },
      [3],
    );
    const t = mergeStats([a, b]);
    expect(t).toMatchObject({ sent: 15, acked: 14, readingsAcked: 95, firstError: 'boom' });
    expect(t.ackedByKind).toEqual({ signal: 1, camera: 13, gateway: 0 });
    expect(t.latency.count).toBe(3);
    expect(t.latency.max).toBe(3);
  });

  it('computes rates per second', () => {
    expect(ratePerSec(100, 600, 500)).toBe(1000);
    expect(ratePerSec(0, 10, 0)).toBe(0);
  });
});
