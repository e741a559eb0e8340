import { describe, expect, it } from 'vitest';
import { summarize } from '../lib/percentiles.ts';
import type { BenchResults, IngestFigure } from './results.ts';
import { evaluateTargets } from './targets.ts';

const lat = summarize([1, 2, 3]);
const qos1 = (msgsPerSec: number, ratio: number, lost = 0): IngestFigure => ({
  msgsPerSec,
  lost,
  baselineMsgsPerSec: msgsPerSec / ratio,
  ratio,
  ackLatencyMs: lat,
  baselineAckLatencyMs: lat,
  acked: 1,
  stored: 1,
  rejected: 0,
  drained: true,
  connections: 1,
  window: 1,
  seconds: 1,
  errors: 0,
});

function run(over: Partial<Omit<BenchResults, 'targets'>>): Omit<BenchResults, 'targets'> {
  return {
    version: 1,
    mode: 'quick',
    startedAt: '',
    finishedAt: '',
    durationS: 0,
    machine: { cpus: 2, memGb: 24, node: 'v20', loadAvg: [0, 0, 0] },
    baselines: {},
    ingest: {},
    notes: [],
    ...over,
  };
}

describe('evaluateTargets', () => {
  it('meets the ingest targets only with enough throughput, no loss and ≥ 70 % of aedes', () => {
    const [abs, rel] = evaluateTargets(run({ ingest: { qos1: qos1(26_000, 0.8) } }));
    expect(abs?.met).toBe(true);
    expect(rel?.met).toBe(true);
    const [lossy] = evaluateTargets(run({ ingest: { qos1: qos1(26_000, 0.8, 3) } }));
    expect(lossy?.met).toBe(false);
    const [, slow] = evaluateTargets(run({ ingest: { qos1: qos1(26_000, 0.69) } }));
    expect(slow?.met).toBe(false);
  });

  it('leaves targets of scenarios that did not run as not measured', () => {
    const t = evaluateTargets(run({}));
    expect(t.every((x) => x.met === null)).toBe(true);
    expect(t).toHaveLength(9);
  });

  it('judges latency targets only at the moscow profile', () => {
    const profile = {
      profile: 'smoke',
      connections: 1,
      offeredMsgsPerSec: 1,
      offeredReadingsPerSec: 1,
      achievedMsgsPerSec: 1,
      achievedReadingsPerSec: 1,
      ackLatencyMs: lat,
      queryableLatencyMs: lat,
      lost: 0,
      connectFailed: 0,
      connectSeconds: 1,
      skipped: 0,
      platformPeakRssMb: 1,
      seconds: 1,
    };
    expect(evaluateTargets(run({ profiles: [profile] }))[2]?.met).toBeNull();
    expect(evaluateTargets(run({ profiles: [{ ...profile, profile: 'moscow' }] }))[2]?.met).toBe(true);
  });

  it('requires a 2× step of at least 5 minutes for the saturation target', () => {
    const step = (offered: number, seconds: number, alive: boolean) => ({
      offeredMsgsPerSec: offered,
      achievedMsgsPerSec: 1000,
      ackLatencyMs: lat,
      skipped: 0,
      lost: 0,
      platformAlive: alive,
      platformRssMb: 100,
      seconds,
    });
    const sat = (steps: ReturnType<typeof step>[]) =>
      evaluateTargets(
        run({ saturation: { capacityMsgsPerSec: 1000, baselineCapacityMsgsPerSec: 2000, steps } }),
      )[5];
    expect(sat([step(2000, 20, true)])?.met).toBeNull();
    expect(sat([step(2000, 300, true)])?.met).toBe(true);
    expect(sat([step(2000, 300, false)])?.met).toBe(false);
  });
});
