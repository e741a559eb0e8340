import { describe, expect, it } from 'vitest';
import { barChart, escapeXml, formatTick, lineChart, niceTicks } from './svg-chart.ts';

describe('niceTicks', () => {
  it('covers the range with 1-2-5 steps', () => {
    expect(niceTicks(0, 100)).toEqual([0, 20, 40, 60, 80, 100]);
    // 27,000 / 5 = 5,400 per tick → step 10,000 (the next 1-2-5 value)
    expect(niceTicks(0, 27_000)).toEqual([0, 10_000, 20_000, 30_000]);
    expect(niceTicks(0, 0.9)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
  });

  it('survives an empty or inverted range', () => {
    expect(niceTicks(5, 5).length).toBeGreaterThan(1);
    expect(niceTicks(Number.NaN, 1)).toEqual([0]);
  });
});

describe('formatTick', () => {
  it('abbreviates thousands and millions', () => {
    expect(formatTick(12_000)).toBe('12k');
    expect(formatTick(2_500_000)).toBe('2.5M');
    expect(formatTick(0.25)).toBe('0.25');
  });
});

describe('lineChart', () => {
  const svg = lineChart({
    title: 'Throughput <vs> offered',
    xLabel: 'offered msgs/s',
    yLabel: 'achieved msgs/s',
    series: [
      {
        name: 'platform',
        points: [
          [0, 0],
          [50, 50],
          [100, 80],
        ],
      },
      {
        name: 'aedes',
        points: [
          [0, 0],
          [100, 100],
        ],
      },
    ],
    width: 400,
    height: 300,
  });

  it('is one well-formed SVG document with escaped text', () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" width="400" height="300"')).toBe(true);
    expect(svg.endsWith('</svg>')).toBe(true);
    expect(svg).toContain('Throughput &lt;vs&gt; offered');
    expect(svg).not.toContain('<vs>');
  });

  it('draws one polyline per series and one marker per point', () => {
    expect(svg.match(/<polyline/g)).toHaveLength(2);
    expect(svg.match(/<circle/g)).toHaveLength(5);
  });

  it('maps data to the plot area: origin bottom-left, max at the top-right', () => {
    // x: 0..100 → 70..380; y: 0..100 → 230..40
    const aedes = /<polyline[^>]*points="([^"]+)"/g;
    const lines = [...svg.matchAll(aedes)].map((m) => m[1]);
    expect(lines[1]).toBe('70.0,230.0 380.0,40.0');
  });
});

describe('barChart', () => {
  it('draws a bar per finite value with heights proportional to the value', () => {
    const svg = barChart({
      title: 'Latency',
      yLabel: 'ms',
      categories: ['p50', 'p99'],
      series: [
        { name: 'ack', values: [10, 20] },
        { name: 'queryable', values: [Number.NaN, 40] },
      ],
      width: 400,
      height: 300,
    });
    const heights = [
      ...svg.matchAll(/<rect x="[\d.]+" y="[\d.]+" width="[\d.]+" height="([\d.]+)" fill="#\w+"><title>/g),
    ].map((m) => Number(m[1]));
    expect(heights).toHaveLength(3);
    // y axis 0..40 over 190 px: 10 → 47.5, 20 → 95, 40 → 190
    expect(heights).toEqual([47.5, 95, 190]);
  });

  it('escapes XML special characters', () => {
    expect(escapeXml(`a<b & "c" 'd'>`)).toBe('a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;');
  });
});
