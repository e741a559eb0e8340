import type { BenchResults } from './results.ts';
import { barChart, lineChart } from './svg-chart.ts';

export interface Chart {
  readonly file: string;
  readonly title: string;
  readonly svg: string;
}

/** The report's charts, from one run's results (only for what the run measured). */
export function chartsFor(r: BenchResults): Chart[] {
  const out: Chart[] = [];
  const s = r.saturation;
  if (s?.steps.length) {
    const offered = s.steps.map((x) => x.offeredMsgsPerSec);
    out.push({
      file: 'throughput-vs-offered.svg',
      title: 'Throughput vs offered load',
      svg: lineChart({
        title: 'Throughput vs offered load (QoS 1 camera counts)',
        xLabel: 'offered msgs/s',
        yLabel: 'acknowledged msgs/s',
        series: [
          { name: 'platform', points: s.steps.map((x) => [x.offeredMsgsPerSec, x.achievedMsgsPerSec]) },
          { name: 'offered (ideal)', points: offered.map((o) => [o, o]) },
          { name: 'bare aedes capacity', points: offered.map((o) => [o, s.baselineCapacityMsgsPerSec]) },
        ],
      }),
    });
    out.push({
      file: 'latency-vs-offered.svg',
      title: 'Ack latency vs offered load',
      svg: lineChart({
        title: 'Publish → PUBACK latency vs offered load',
        xLabel: 'offered msgs/s',
        yLabel: 'ms',
        series: (['p50', 'p95', 'p99'] as const).map((p) => ({
          name: p,
          points: s.steps.map((x) => [x.offeredMsgsPerSec, x.ackLatencyMs[p]] as const),
        })),
      }),
    });
  }
  const series: { name: string; values: number[] }[] = [];
  const pick = (name: string, l: { p50: number; p95: number; p99: number } | undefined) => {
    if (l) series.push({ name, values: [l.p50, l.p95, l.p99] });
  };
  pick('platform QoS 1 ack (closed loop)', r.ingest.qos1?.ackLatencyMs);
  pick('bare aedes QoS 1 ack', r.baselines.aedesQos1?.ackLatencyMs);
  for (const p of r.profiles ?? []) {
    pick(`${p.profile} ack`, p.ackLatencyMs);
    pick(`${p.profile} queryable`, p.queryableLatencyMs);
  }
  if (series.length) {
    out.push({
      file: 'latency-percentiles.svg',
      title: 'Latency percentiles',
      svg: barChart({
        title: 'Latency percentiles',
        yLabel: 'ms',
        categories: ['p50', 'p95', 'p99'],
        series,
        width: 760,
      }),
    });
  }
  const q = r.ingest;
  if (q.qos1 || q.qos0) {
    out.push({
      file: 'ingest-vs-baseline.svg',
      title: 'Ingest throughput vs bare aedes',
      svg: barChart({
        title: 'End-to-end ingest vs bare aedes (same run)',
        yLabel: 'msgs/s',
        categories: ['QoS 1', 'QoS 0'],
        series: [
          { name: 'platform', values: [q.qos1?.msgsPerSec ?? Number.NaN, q.qos0?.msgsPerSec ?? Number.NaN] },
          {
            name: 'bare aedes',
            values: [q.qos1?.baselineMsgsPerSec ?? Number.NaN, q.qos0?.baselineMsgsPerSec ?? Number.NaN],
          },
        ],
      }),
    });
  }
  return out;
}
