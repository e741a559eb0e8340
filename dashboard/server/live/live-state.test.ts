import { describe, expect, it } from 'vitest';
import { tinyNetwork } from '../test-support/tiny-network.ts';
import { applyMessage } from './apply-message.ts';
import { LiveState } from './live-state.ts';
import { buildViewportIndex, filterViewport } from './viewport-filter.ts';

const T0 = Date.UTC(2026, 10, 30, 12, 0, 0);
const net = tinyNetwork();
const everything = filterViewport(buildViewportIndex(net), { bbox: [37, 55, 38, 56], zoom: 16 });
const enc = (x: unknown) => new TextEncoder().encode(JSON.stringify(x));

describe('LiveState', () => {
  it('turns camera counts into link flow and congestion, and an intersection queue', () => {
    const s = new LiveState(net);
    // 30 vehicles in 60 s = 1,800 veh/h on 2 lanes: v/c = 1800 / (2 * 1800 * 0.45) ≈ 1.1, capped at 1.
    s.applyCameraCounts(
      'cam-A-N',
      { ts: T0, intervalS: 60, intensity: 30, queueLength: 12, averageVehicleSpeed: 18 },
      T0,
    );
    s.applyCameraCounts('cam-A-E', { ts: T0, intervalS: 60, intensity: 5, queueLength: 3 }, T0);
    expect(s.link('A-in-N')).toEqual({ id: 'A-in-N', flowVehPerH: 1800, speedKmh: 18, congestion: 1 });
    expect(s.link('A-in-E')?.flowVehPerH).toBe(300);
    expect(s.link('A-in-E')?.congestion).toBeCloseTo(300 / 1620, 3);
    expect(s.intersection('A')).toMatchObject({ queueVeh: 15, congestion: 1 });
    expect(s.approachLive('A').find((a) => a.dir === 'N')).toEqual({
      dir: 'N',
      intensity: 30,
      queueLength: 12,
      ts: T0,
    });
  });

  it('copies signal state onto the intersection and bumps seq only on real change', () => {
    const s = new LiveState(net);
    const state = {
      ts: T0,
      planId: 'day',
      phase: 'NS',
      phaseElapsedS: 1,
      mode: 'adaptive' as const,
      faults: [],
      interval: 'green' as const,
      source: 'adaptive' as const,
    };
    s.applySignalState('A', state, T0);
    const seq = s.seq;
    expect(s.intersection('A')).toMatchObject({
      mode: 'adaptive',
      phase: 'NS',
      interval: 'green',
      planId: 'day',
      ts: T0,
    });
    s.applySignalState('A', state, T0);
    expect(s.seq).toBe(seq);
    s.applySignalState('A', { ...state, ts: T0 + 1000, interval: 'yellow' }, T0 + 1000);
    expect(s.seq).toBeGreaterThan(seq);
  });

  it('reports only the changes since a seq, only inside the viewport', () => {
    const s = new LiveState(net);
    s.applyCameraCounts('cam-A-N', { ts: T0, intervalS: 60, intensity: 10 }, T0);
    const since = s.seq;
    s.applyCameraCounts('cam-B-N', { ts: T0, intervalS: 60, intensity: 20 }, T0);
    const onlyA = filterViewport(buildViewportIndex(net), { bbox: [37.59, 55.74, 37.61, 55.76], zoom: 16 });
    expect(LiveState.isEmpty(s.changesSince(since, onlyA, T0))).toBe(true);
    const all = s.changesSince(since, everything, T0);
    expect(all.links?.map((l) => l.id)).toEqual(['B-in-N']);
    expect(all.cameras?.map((c) => c.id)).toEqual(['cam-B-N']);
  });

  it('marks a camera silent after three of its intervals without counts, and raises an alert', () => {
    const s = new LiveState(net);
    s.tick(T0);
    s.applyCameraCounts('cam-A-N', { ts: T0, intervalS: 10, intensity: 1 }, T0);
    s.tick(T0 + 29_000);
    expect(s.camera('cam-A-N')?.silent).toBe(false);
    s.tick(T0 + 31_000);
    expect(s.camera('cam-A-N')?.silent).toBe(true);
    expect(s.alerts()).toContainEqual(
      expect.objectContaining({ id: 'silent:cam-A-N', kind: 'silent', position: [37.6, 55.75] }),
    );
  });

  it('folds gateway readings into meters and derives the rate from the register', () => {
    const s = new LiveState(net);
    s.applyGatewayReadings('gw-1', [{ meterId: 'wm-1', ts: T0, kind: 'water', value: 10 }], T0);
    s.applyGatewayReadings(
      'gw-1',
      [{ meterId: 'wm-1', ts: T0 + 3_600_000, kind: 'water', value: 10.5 }],
      T0 + 3_600_000,
    );
    expect(s.meter('wm-1')).toMatchObject({ value: 10.5, rate: 500, buildingId: 'bld-1' });
    expect(s.latestOf('wm-1')?.type).toBe('meter');
  });

  it('health: disconnected until the feed connects, then live while messages flow, lagging when they stop', () => {
    const s = new LiveState(net);
    s.tick(T0);
    expect(s.health().status).toBe('disconnected');
    s.setFeedConnected(true);
    s.applyCameraCounts('cam-A-N', { ts: T0, intervalS: 60, intensity: 1 }, T0);
    s.tick(T0 + 1000);
    expect(s.health()).toMatchObject({ status: 'live', dataAgeS: 1 });
    s.tick(T0 + 20_000);
    expect(s.health().status).toBe('lagging');
  });

  it('takes fallback reasons from the control status and raises a fallback alert', () => {
    const s = new LiveState(net);
    s.setControlStatus({
      intersections: [{ intersectionId: 'B', fallbackReason: 'detector data stale', dataAgeS: 90 }],
    });
    s.tick(T0);
    expect(s.intersection('B')?.fallbackReason).toBe('detector data stale');
    expect(s.intersectionStatus('B', T0)?.dataAgeS).toBe(90);
    expect(s.alerts()).toContainEqual(expect.objectContaining({ id: 'fallback:B', severity: 'warning' }));
  });
});

describe('applyMessage', () => {
  it('validates and dispatches by topic, counting what it skips instead of throwing', () => {
    const s = new LiveState(net);
    expect(
      applyMessage(
        s,
        'city/traffic/cameras/cam-A-N/counts',
        enc({ ts: T0, intervalS: 60, intensity: 6 }),
        T0,
      ),
    ).toBeNull();
    expect(s.link('A-in-N')?.flowVehPerH).toBe(360);
    expect(applyMessage(s, 'city/traffic/cameras/cam-A-N/counts', enc({ ts: T0, intensity: 6 }), T0)).toBe(
      'schema_violation',
    );
    expect(applyMessage(s, 'city/traffic/cameras/cam-A-N/counts', new Uint8Array([0xff, 0xfe]), T0)).toBe(
      'payload_invalid_json',
    );
    expect(applyMessage(s, 'city/elsewhere/x', enc({}), T0)).toBe('topic_unknown');
    expect(applyMessage(s, 'city/devices/A/status', enc({ status: 'offline' }), T0)).toBeNull();
    s.tick(T0);
    expect(s.alerts()).toContainEqual(expect.objectContaining({ id: 'silent:A' }));
  });
});
