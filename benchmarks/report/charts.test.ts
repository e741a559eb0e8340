import { describe, expect, it } from 'vitest';
import { summarize } from '../lib/percentiles.ts';
import { chartsFor } from './charts.ts';
import type { BenchResults } from './results.ts';

const lat = summarize([1, 5, 9]);
const base: BenchResults = {
  version: 1,
  mode: 'quick',
  startedAt: '',
  finishedAt: '',
  durationS: 0,
  machine: { cpus: 2, memGb: 24, node: 'v20', loadAvg: [0, 0, 0] },
  baselines: {},
  ingest: {},
  targets: [],
  notes: [],
};

describe('chartsFor', () => {
  it('draws nothing for a run that measured nothing', () => {
    expect(chartsFor(base)).toEqual([]);
  });

  it('draws throughput and latency against offered load for a saturation sweep', () => {
    const step = (o: number, a: number) => ({
      offeredMsgsPerSec: o,
      achievedMsgsPerSec: a,
      ackLatencyMs: lat,
      skipped: 0,
      lost: 0,
      platformAlive: true,
      platformRssMb: 1,
      seconds: 1,
    });
    const charts = chartsFor({
      ...base,
      saturation: {
        capacityMsgsPerSec: 1000,
        baselineCapacityMsgsPerSec: 2000,
        steps: [step(500, 500), step(2000, 1100)],
      },
    });
    expect(charts.map((c) => c.file)).toEqual(['throughput-vs-offered.svg', 'latency-vs-offered.svg']);
    // platform, ideal and baseline lines; 2 points each
    expect(charts[0]?.svg.match(/<polyline/g)).toHaveLength(3);
    expect(charts[0]?.svg.match(/<circle/g)).toHaveLength(6);
  });
});
