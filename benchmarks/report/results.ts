import type { LatencySummary } from '../lib/percentiles.ts';

/** The shape of `benchmarks/results/latest.json` (one run). Every platform figure carries its baseline. */

export interface IngestFigure {
  /** Acknowledged messages per second, end to end through broker + ingest. */
  readonly msgsPerSec: number;
  /** Acknowledged readings missing from InfluxDB after the drain (exact InfluxQL count). */
  readonly lost: number;
  /** Bare aedes publish → subscribe, same generator, same run. */
  readonly baselineMsgsPerSec: number;
  readonly ratio: number;
  readonly ackLatencyMs: LatencySummary;
  readonly baselineAckLatencyMs: LatencySummary;
  readonly acked: number;
  readonly stored: number;
  readonly rejected: number;
  readonly drained: boolean;
  readonly connections: number;
  readonly window: number;
  readonly seconds: number;
  readonly errors: number;
  readonly platformAlive?: boolean;
  /** The platform process died at this load (the figure above was then re-measured with fewer in flight). */
  readonly crashedAt?: {
    readonly connections: number;
    readonly window: number;
    readonly ackedBefore: number;
    readonly lostAfterCrash: number;
  };
  /** QoS 0 runs open loop at this rate (the QoS 1 rate of the same run); absent for closed loop. */
  readonly offeredMsgsPerSec?: number;
}

export interface ProfileFigure {
  readonly profile: string;
  readonly connections: number;
  readonly offeredMsgsPerSec: number;
  readonly offeredReadingsPerSec: number;
  readonly achievedMsgsPerSec: number;
  readonly achievedReadingsPerSec: number;
  readonly ackLatencyMs: LatencySummary;
  readonly queryableLatencyMs: LatencySummary;
  readonly lost: number;
  readonly connectFailed: number;
  readonly connectSeconds: number;
  readonly skipped: number;
  readonly platformPeakRssMb: number;
  readonly seconds: number;
  /** What was scaled down from the named profile and why. */
  readonly note?: string;
}

export interface SaturationStep {
  readonly offeredMsgsPerSec: number;
  readonly achievedMsgsPerSec: number;
  readonly ackLatencyMs: LatencySummary;
  /** Publishes the generator held back because a device already had `maxInflight` unacked (push-back). */
  readonly skipped: number;
  readonly lost: number;
  readonly platformAlive: boolean;
  readonly platformRssMb: number;
  readonly seconds: number;
}

export interface SaturationFigure {
  readonly capacityMsgsPerSec: number;
  readonly steps: readonly SaturationStep[];
  readonly baselineCapacityMsgsPerSec: number;
}

export interface IdleFigure {
  readonly connections: number;
  readonly connected: number;
  readonly brokerRssMbBefore: number;
  readonly brokerRssMbAfter: number;
  readonly kbPerConnection: number;
  readonly connectPerSec: number;
  readonly baselineKbPerConnection: number;
  readonly baselineConnectPerSec: number;
  readonly ratio: number;
}

export interface ControlFigure {
  readonly intersections: number;
  readonly tickMs: LatencySummary;
  /** Baseline: one pass over the same state doing only JSON serialisation of every plan. */
  readonly baselineMs: number;
  readonly ratio: number;
}

export interface HttpFigure {
  readonly route: string;
  readonly requestsPerSec: number;
  readonly latencyMs: { readonly p50: number; readonly p99: number; readonly max: number };
  readonly baselineRequestsPerSec: number;
  readonly ratio: number;
  readonly errors: number;
  readonly non2xx: number;
  /** 2xx answers per second (the rest were e.g. 429 from the per-IP rate limit). */
  readonly okPerSec: number;
  readonly statusCodes: Readonly<Record<string, number>>;
}

export interface CpuHotspot {
  readonly function: string;
  readonly location: string;
  readonly selfPct: number;
}

export interface BenchResults {
  readonly version: 1;
  readonly mode: 'quick' | 'full';
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly durationS: number;
  readonly machine: {
    readonly cpus: number;
    readonly memGb: number;
    readonly node: string;
    readonly loadAvg: readonly number[];
  };
  readonly baselines: {
    readonly aedesQos1?: {
      readonly msgsPerSec: number;
      readonly deliveredPerSec: number;
      readonly ackLatencyMs: LatencySummary;
    };
    readonly aedesQos0?: {
      readonly msgsPerSec: number;
      readonly deliveredPerSec: number;
      readonly ackLatencyMs: LatencySummary;
    };
    readonly influxWrite?: {
      readonly pointsPerSec: number;
      readonly batchLines: number;
      readonly seconds: number;
    };
  };
  readonly ingest: { readonly qos1?: IngestFigure; readonly qos0?: IngestFigure };
  readonly profiles?: readonly ProfileFigure[];
  readonly saturation?: SaturationFigure;
  readonly idle?: IdleFigure;
  readonly control?: readonly ControlFigure[];
  readonly http?: readonly HttpFigure[];
  readonly cpuProfile?: {
    readonly scenario: string;
    readonly top: readonly CpuHotspot[];
    readonly components: readonly { readonly component: string; readonly selfPct: number }[];
  };
  /** Targets from the issue, checked against this run (never asserted in tests). */
  readonly targets: readonly {
    readonly name: string;
    readonly target: string;
    readonly measured: string;
    readonly met: boolean | null;
  }[];
  /** Measurements skipped or scaled down, with the reason. */
  readonly notes: readonly string[];
}
