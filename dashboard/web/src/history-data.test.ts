import { describe, expect, it } from 'vitest';
import { historyToChart, historyWindow } from './history-data.ts';

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
