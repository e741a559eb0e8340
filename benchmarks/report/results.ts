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

/** Per-client delivery of one view class (or all clients) over the measured window. */
export interface DashboardClientFigure {
  readonly clients: number;
  readonly deltasPerSec: number;
  readonly bytesPerSec: number;
  readonly resyncs: number;
}

/** Dashboard socket fan-out at the `moscow` feed rates: server CPU and what each client gets. */
export interface DashboardFanoutFigure {
  readonly intersections: number;
  readonly links: number;
  readonly clients: number;
  /** Clients that had their first snapshot when the window opened. */
  readonly readyClients: number;
  /**
   * Clients that were full socket.io-clients (decoding every event, timing latency); the others
   * spoke the same protocol over a plain WebSocket without decoding the JSON bodies.
   */
  readonly decodingClients?: number;
  /** How the live state was fed (which broker, which publisher) and at what rate. */
  readonly feed: {
    readonly description: string;
    readonly offeredMsgsPerSec: number;
    readonly offeredReadingsPerSec: number;
    readonly publishedMsgsPerSec: number;
  };
  readonly seconds: number;
  /** Dashboard process CPU over the window, in cores (1 = one core busy all the time). */
  readonly serverCores: number;
  readonly serverRssMb: number;
  readonly serverPeakRssMb: number;
  /** The dashboard's event-loop delay over the window, ms (a busy loop delays every socket write). */
  readonly eventLoopDelayMs?: { readonly p50: number; readonly p99: number; readonly max: number };
  /** The same server, feed and network with `clients` clients (one whole-city view). */
  readonly baseline: {
    readonly clients: number;
    readonly serverCores: number;
    readonly serverRssMb: number;
    readonly seconds: number;
  };
  /** serverCores ÷ baseline.serverCores. */
  readonly ratio: number;
  readonly marginalCoresPerClient: number;
  readonly marginalKbPerClient: number;
  readonly perClient: Readonly<Record<'all' | 'city' | 'district' | 'street', DashboardClientFigure>>;
  /** Resynchronising snapshots: seen by the clients / decided by the server (whole run). */
  readonly resyncs: { readonly clients: number; readonly server: number };
  readonly disconnects: number;
  readonly connectErrors: number;
  /** Publish → arrival of a new signal state at the node socket.io clients, ms. */
  readonly latencyMs: LatencySummary;
  /** Bare MQTT subscriber on the same broker, same messages, same window. */
  readonly baselineLatencyMs: LatencySummary;
  /** Publish → the real web app's store in headless Chromium (whole-city view), ms. */
  readonly browser?: {
    readonly latencyMs: LatencySummary;
    readonly baselineLatencyMs: LatencySummary;
    readonly seconds: number;
    readonly note?: string;
  };
  readonly cpuProfile?: {
    readonly top: readonly CpuHotspot[];
    readonly components: readonly { readonly component: string; readonly selfPct: number }[];
  };
  readonly note?: string;
}

/** First complete map render in headless Chromium, per repetition, against a small network. */
export interface DashboardRenderFigure {
  readonly intersections: number;
  readonly links: number;
  readonly runsMs: readonly number[];
  readonly medianMs: number;
  readonly maxMs: number;
  /** Medians of the milestones on the way (ms since navigation): DOM ready, `/api/network` received, map loaded. */
  readonly milestonesMs: { readonly domReady: number; readonly network: number; readonly appReady: number };
  /** What the last run had drawn when it was timed (rendered features, unique ids). */
  readonly drawn: { readonly intersections: number; readonly links: number };
  readonly baseline: {
    readonly intersections: number;
    readonly links: number;
    readonly runsMs: readonly number[];
    readonly medianMs: number;
    readonly maxMs: number;
    readonly milestonesMs: { readonly domReady: number; readonly network: number; readonly appReady: number };
  };
  /** medianMs ÷ baseline.medianMs. */
  readonly ratio: number;
  readonly note?: string;
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
  readonly dashboard?: {
    readonly fanout?: DashboardFanoutFigure;
    readonly render?: DashboardRenderFigure;
  };
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
