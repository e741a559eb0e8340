import { describe, expect, it } from 'vitest';
import type { Health, LiveIntersection } from '../../shared/contract.ts';
import { deriveAlerts, sortAlerts } from './derive-alerts.ts';

const health: Health = {
  status: 'live',
  ingestRatePerS: 100,
  rejectsPerS: 0,
  spoolDepth: 0,
  staleDevices: 0,
  dataAgeS: 1,
};
const calm: LiveIntersection = {
  id: 'A',
  mode: 'adaptive',
  source: 'adaptive',
  phase: 'NS',
  interval: 'green',
  planId: 'p',
  queueVeh: 3,
  congestion: 0.2,
  faults: [],
  fallbackReason: null,
  ts: 1,
};
const inputs = (over: Partial<Parameters<typeof deriveAlerts>[0]> = {}) => ({
  intersections: [calm],
  cameras: [],
  meters: [],
  silentSignals: [],
  health,
  positionOf: () => [37.6, 55.7] as [number, number],
  cityCenter: [37.62, 55.75] as [number, number],
  ...over,
});

describe('deriveAlerts', () => {
  it('raises nothing for a calm city', () => {
    expect(deriveAlerts(inputs(), new Map(), 1000).size).toBe(0);
  });

  it('raises congestion, fault and reject-burst alerts with severities, and keeps sinceMs while they last', () => {
    const hot = { ...calm, congestion: 0.97, faults: ['lamp_out'] };
    const first = deriveAlerts(
      inputs({ intersections: [hot], health: { ...health, rejectsPerS: 12 } }),
      new Map(),
      1000,
    );
    expect(first.get('congestion:A')).toMatchObject({ severity: 'critical', sinceMs: 1000 });
    expect(first.get('fault:A')).toMatchObject({ severity: 'critical' });
    expect(first.get('reject-burst:ingest')).toMatchObject({ position: [37.62, 55.75] });
    const later = deriveAlerts(inputs({ intersections: [{ ...hot, congestion: 0.9 }] }), first, 5000);
    expect(later.get('congestion:A')).toMatchObject({ severity: 'warning', sinceMs: 1000 });
    expect(later.has('reject-burst:ingest')).toBe(false);
  });

  it('raises leak alerts from meters and orders critical first', () => {
    const alerts = deriveAlerts(
      inputs({
        meters: [{ id: 'wm', buildingId: 'b', kind: 'water', value: 1, rate: 3, anomaly: 'leak', ts: 1 }],
        silentSignals: ['A'],
      }),
      new Map(),
      10,
    );
    expect(sortAlerts(alerts.values()).map((a) => a.id)).toEqual(['silent:A', 'leak:wm']);
  });
});
