import { describe, expect, it } from 'vitest';
import { generateNetwork } from '../../simulators/index.ts';
import { profiles } from '../load/profiles.ts';
import { dashboardFeed, feedRates } from './dashboard-feed.ts';

describe('dashboardFeed', () => {
  const network = generateNetwork({ intersections: 100, seed: 1 });
  const feed = dashboardFeed(network, profiles.moscow);

  it("publishes on the network's own ids with the profile's signal and camera periods", () => {
    const signal = feed.find((g) => g.kind === 'signal');
    const camera = feed.find((g) => g.kind === 'camera');
    expect(signal?.ids).toEqual(network.intersections.map((i) => i.id));
    expect(signal?.periodMs).toBe(1000);
    expect(camera?.ids).toHaveLength(network.cameras.length);
    expect(camera?.periodMs).toBe(5000);
  });

  it("sends the profile's gateway batches per second, each gateway reading its own meters", () => {
    const gw = feed.find((g) => g.kind === 'gateway');
    if (gw?.kind !== 'gateway') throw new Error('no gateway group');
    // moscow: 10,000 gateways, one 100-reading batch each per 15 minutes → 11.1 batches/s.
    expect((gw.ids.length * 1000) / gw.periodMs).toBeCloseTo(10_000 / 900, 6);
    expect(gw.readingsPerBatch).toBe(100);
    const owner = new Map(network.buildings.flatMap((b) => b.meters.map((m) => [m.id, m.gatewayId])));
    gw.ids.forEach((id, i) => {
      for (const m of gw.meters[i] ?? []) expect(owner.get(m.id)).toBe(id);
    });
  });

  it('adds up the offered rates', () => {
    const r = feedRates(feed);
    expect(r.msgsPerSec).toBeCloseTo(100 + network.cameras.length / 5 + 10_000 / 900, 6);
    expect(r.readingsPerSec).toBeCloseTo(100 + network.cameras.length / 5 + (10_000 / 900) * 100, 6);
  });
});
