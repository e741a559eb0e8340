import { describe, expect, it } from 'vitest';
import { summarize } from '../lib/percentiles.ts';
import { fmt, fmtRatio, renderMarkdown, table } from './markdown.ts';
import type { BenchResults } from './results.ts';

const lat = summarize([1, 2, 3, 4, 100]);

function results(over: Partial<BenchResults> = {}): BenchResults {
  return {
    version: 1,
    mode: 'quick',
    startedAt: '2026-11-29T10:00:00.000Z',
    finishedAt: '2026-11-29T10:01:30.000Z',
    durationS: 90,
    machine: { cpus: 2, memGb: 24, node: 'v20.20.2', loadAvg: [1, 2, 3] },
    baselines: { aedesQos1: { msgsPerSec: 20_000, deliveredPerSec: 19_990, ackLatencyMs: lat } },
    ingest: {
      qos1: {
        msgsPerSec: 15_000,
        lost: 0,
        baselineMsgsPerSec: 20_000,
        ratio: 0.75,
        ackLatencyMs: lat,
        baselineAckLatencyMs: lat,
        acked: 150_000,
        stored: 150_000,
        rejected: 0,
        drained: true,
        connections: 100,
        window: 10,
        seconds: 10,
        errors: 0,
      },
    },
    targets: [{ name: 'QoS 1 ingest', target: '≥ 25,000 msgs/s', measured: '15,000 msgs/s', met: false }],
    notes: ['control tick skipped: no per-tick export yet'],
    ...over,
  };
}

describe('formatting', () => {
  it('formats numbers, ratios and missing values', () => {
    expect(fmt(12_345.6)).toBe('12,346');
    expect(fmt(1.23456)).toBe('1.23');
    expect(fmt(Number.NaN)).toBe('–');
    expect(fmtRatio(0.746)).toBe('75 %');
    expect(fmtRatio(undefined)).toBe('–');
  });

  it('renders a Markdown table', () => {
    expect(table(['a', 'b'], [['1', '2']])).toBe('| a | b |\n| --- | --- |\n| 1 | 2 |');
  });
});

describe('renderMarkdown', () => {
  it('shows the ingest figure beside its same-run baseline and ratio', () => {
    const md = renderMarkdown(results(), []);
    expect(md).toContain('| QoS 1 | 15,000 msgs/s | 20,000 msgs/s | 75 % | 150,000 / 150,000 / **0** |');
  });

  it('lists unmet targets in bold and the notes', () => {
    const md = renderMarkdown(results(), []);
    expect(md).toContain('| QoS 1 ingest | ≥ 25,000 msgs/s | 15,000 msgs/s | **no** |');
    expect(md).toContain('- control tick skipped: no per-tick export yet');
  });

  it('links charts and leaves out sections that were not measured', () => {
    const md = renderMarkdown(results(), [{ title: 'Throughput', file: 'charts/throughput.svg' }]);
    expect(md).toContain('![Throughput](charts/throughput.svg)');
    expect(md).not.toContain('## Idle connections');
    expect(md).not.toContain('## Saturation');
  });

  it('flags a platform that died during saturation', () => {
    const md = renderMarkdown(
      results({
        saturation: {
          capacityMsgsPerSec: 10_000,
          baselineCapacityMsgsPerSec: 20_000,
          steps: [
            {
              offeredMsgsPerSec: 20_000,
              achievedMsgsPerSec: 9_000,
              ackLatencyMs: lat,
              skipped: 5,
              lost: 0,
              platformAlive: false,
              platformRssMb: 300,
              seconds: 10,
            },
          ],
        },
      }),
      [],
    );
    expect(md).toContain('| 20,000 | 9,000 | 3.0 / 100.0 / 100.0 | 5 | **0** | **no** | 300 |');
  });
});
