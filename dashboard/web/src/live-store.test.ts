import { describe, expect, it } from 'vitest';
import type { Alert, Health, LiveIntersection, Snapshot } from '../../shared/contract.ts';
import { LiveStore } from './live-store.ts';

const health: Health = {
  status: 'live',
  ingestRatePerS: 10,
  rejectsPerS: 0,
  spoolDepth: 0,
  staleDevices: 0,
  dataAgeS: 1,
};
const ix = (id: string, interval: LiveIntersection['interval']): LiveIntersection => ({
  id,
  mode: 'adaptive',
  source: 'adaptive',
  phase: 'p1',
  interval,
  planId: 'a',
  queueVeh: 3,
  congestion: 0.2,
  faults: [],
  fallbackReason: null,
  ts: 1000,
});
const alert = (id: string): Alert => ({
  id,
  kind: 'congestion',
  severity: 'warning',
  entityId: id,
  position: [37.6, 55.7],
  message: 'queue',
  sinceMs: 1,
});
const snapshot = (seq: number): Snapshot => ({
  seq,
  ts: 5000,
  intersections: [ix('i1', 'green'), ix('i2', 'green')],
  links: [{ id: 'l1', flowVehPerH: 100, speedKmh: 40, congestion: 0.1 }],
  cameras: [],
  meters: [],
  alerts: [alert('congestion:i1')],
  health,
});

describe('LiveStore', () => {
  it('replaces everything on a snapshot', () => {
    const store = new LiveStore();
    store.applySnapshot(snapshot(1));
    store.applyDelta({ seq: 2, ts: 6000, links: [{ id: 'l9', flowVehPerH: 1, speedKmh: 1, congestion: 0 }] });
    store.applySnapshot(snapshot(3));
    expect([...store.links.keys()]).toEqual(['l1']);
    expect(store.seq).toBe(3);
  });

  it('replaces only the items a delta carries', () => {
    const store = new LiveStore();
    store.applySnapshot(snapshot(1));
    const change = store.applyDelta({ seq: 2, ts: 6000, intersections: [ix('i1', 'yellow')] });
    expect(store.intersections.get('i1')?.interval).toBe('yellow');
    expect(store.intersections.get('i2')?.interval).toBe('green');
    expect(change?.intersections.map((i) => i.id)).toEqual(['i1']);
    expect(change?.alerts).toBe(false);
  });

  it('ignores a delta older than what it already applied', () => {
    const store = new LiveStore();
    store.applySnapshot(snapshot(5));
    expect(store.applyDelta({ seq: 4, ts: 1, intersections: [ix('i1', 'allRed')] })).toBeNull();
    expect(store.intersections.get('i1')?.interval).toBe('green');
  });

  it('takes a delta alert list as the full list and drops cleared alerts', () => {
    const store = new LiveStore();
    store.applySnapshot(snapshot(1));
    store.applyDelta({ seq: 2, ts: 1, alerts: [alert('silent:c1'), alert('fault:i2')] });
    expect([...store.alerts.keys()].sort()).toEqual(['fault:i2', 'silent:c1']);
    const change = store.applyDelta({ seq: 3, ts: 1, alertsCleared: ['silent:c1'] });
    expect([...store.alerts.keys()]).toEqual(['fault:i2']);
    expect(change?.alerts).toBe(true);
  });

  it('puts changed alerts in place of the ones it holds and keeps the rest', () => {
    const store = new LiveStore();
    store.applySnapshot(snapshot(1));
    const changed = { ...alert('congestion:i1'), message: 'congestion 99%' };
    const change = store.applyDelta({ seq: 2, ts: 1, alertsChanged: [changed, alert('fault:i2')] });
    expect(store.alerts.get('congestion:i1')?.message).toBe('congestion 99%');
    expect([...store.alerts.keys()].sort()).toEqual(['congestion:i1', 'fault:i2']);
    expect(change?.alerts).toBe(true);
  });

  it('lists the meters of one building', () => {
    const store = new LiveStore();
    store.applySnapshot({
      ...snapshot(1),
      meters: [
        { id: 'm2', buildingId: 'b1', kind: 'water', value: 1, rate: 2, anomaly: null, ts: 1 },
        { id: 'm1', buildingId: 'b1', kind: 'electricity', value: 1, rate: 2, anomaly: null, ts: 1 },
        { id: 'm3', buildingId: 'b2', kind: 'water', value: 1, rate: 2, anomaly: null, ts: 1 },
      ],
    });
    expect(store.metersOf('b1').map((m) => m.id)).toEqual(['m1', 'm2']);
  });
});
