import { describe, expect, it } from 'vitest';
import type { Health, LiveMeter } from '../../shared/contract.ts';
import { alertOrder } from './alert-order.ts';
import { buildingState } from './building-state.ts';
import { freshness } from './freshness.ts';
import { historyToChart, historyWindow } from './history-data.ts';
import { viewportOf } from './viewport.ts';

const health = (over: Partial<Health> = {}): Health => ({
  status: 'live',
  ingestRatePerS: 100,
  rejectsPerS: 0,
  spoolDepth: 0,
  staleDevices: 0,
  dataAgeS: 2,
  ...over,
});

describe('freshness', () => {
  const now = 1_000_000;
  it('is live when connected, recent and the data is young', () => {
    expect(freshness({ connected: true, lastEventAtMs: now - 500, health: health(), nowMs: now })).toEqual({
      status: 'live',
      stale: false,
      reason: null,
    });
  });
  it('is stale and disconnected when the socket is down', () => {
    const f = freshness({ connected: false, lastEventAtMs: now, health: health(), nowMs: now });
    expect(f.status).toBe('disconnected');
    expect(f.stale).toBe(true);
  });
  it('is stale when the server stopped sending', () => {
    const f = freshness({ connected: true, lastEventAtMs: now - 20_000, health: health(), nowMs: now });
    expect(f).toMatchObject({ status: 'lagging', stale: true });
    expect(f.reason).toContain('20 s');
  });
  it('is stale when the device data is old', () => {
    const f = freshness({
      connected: true,
      lastEventAtMs: now,
      health: health({ dataAgeS: 95 }),
      nowMs: now,
    });
    expect(f).toMatchObject({ status: 'lagging', stale: true });
    expect(f.reason).toContain('95 s');
  });
});

describe('buildingState', () => {
  const meter = (over: Partial<LiveMeter>): LiveMeter => ({
    id: 'm',
    buildingId: 'b',
    kind: 'water',
    value: 1,
    rate: 0,
    anomaly: null,
    ts: 1,
    ...over,
  });
  it('takes the worst anomaly and sums rates per kind', () => {
    const s = buildingState([
      meter({ kind: 'electricity', rate: 1500, anomaly: 'stuck' }),
      meter({ kind: 'electricity', rate: 500 }),
      meter({ kind: 'water', rate: 40, anomaly: 'leak' }),
      meter({ kind: 'water', rate: null, anomaly: 'outage' }),
    ]);
    expect(s).toEqual({ anomaly: 'leak', powerW: 2000, waterLph: 40 });
  });
  it('is calm without meters', () => {
    expect(buildingState([])).toEqual({ anomaly: 'none', powerW: 0, waterLph: 0 });
  });
});

describe('alertOrder', () => {
  it('puts critical first, then the oldest', () => {
    const a = (id: string, severity: 'info' | 'warning' | 'critical', sinceMs: number) => ({
      id,
      kind: 'fault' as const,
      severity,
      entityId: id,
      position: [0, 0] as [number, number],
      message: '',
      sinceMs,
    });
    const ordered = alertOrder([
      a('w2', 'warning', 20),
      a('c', 'critical', 50),
      a('w1', 'warning', 10),
      a('i', 'info', 1),
    ]);
    expect(ordered.map((x) => x.id)).toEqual(['c', 'w1', 'w2', 'i']);
  });
});

describe('historyToChart', () => {
  it('lays points out in columns with seconds on x and gaps as null', () => {
    const chart = historyToChart({
      series: 'counts',
      id: 'i1',
      stepMs: 30_000,
      fields: ['N', 'S'],
      points: [
        { t: 60_000, N: 3, S: null },
        { t: 90_000, N: 4 },
      ],
    });
    expect(chart.data).toEqual([
      [60, 90],
      [3, 4],
      [null, null],
    ]);
    expect(chart.fields).toEqual(['N', 'S']);
  });
  it('asks for the last hour or day ending now', () => {
    expect(historyWindow('hour', 10_000_000)).toEqual({ from: 6_400_000, to: 10_000_000, points: 120 });
    expect(historyWindow('day', 100_000_000).from).toBe(100_000_000 - 86_400_000);
  });
});

describe('viewportOf', () => {
  it('clamps a zoomed-out view to valid coordinates', () => {
    expect(viewportOf(-250, -95, 300, 95, 0.5)).toEqual({ bbox: [-180, -90, 180, 90], zoom: 0.5 });
  });
  it('passes a city view through', () => {
    expect(viewportOf(37.5, 55.7, 37.7, 55.8, 13)).toEqual({ bbox: [37.5, 55.7, 37.7, 55.8], zoom: 13 });
  });
});

describe('historyToChart categories', () => {
  it('charts a category by its index in the legend', () => {
    const chart = historyToChart({
      series: 'modes',
      id: 'i1',
      stepMs: 1000,
      fields: ['mode'],
      legend: { mode: ['fixed', 'adaptive', 'manual'] },
      points: [
        { t: 1000, mode: 2 },
        { t: 2000, mode: 'adaptive' },
        { t: 3000, mode: 'unknown' },
      ],
    });
    expect(chart.data[1]).toEqual([2, 1, null]);
  });
});

describe('historyToChart field choice', () => {
  it('keeps only the asked fields that the response has, in the asked order', () => {
    const chart = historyToChart(
      {
        series: 'meter',
        id: 'm1',
        stepMs: 1000,
        fields: ['value', 'flow', 'power'],
        points: [{ t: 1000, value: 5, flow: 40, power: null }],
      },
      ['power', 'flow', 'missing'],
    );
    expect(chart.fields).toEqual(['power', 'flow']);
    expect(chart.data).toEqual([[1], [null], [40]]);
  });
});
