import type {
  Approach,
  CameraCounts,
  GatewayReadings,
  MeterKind,
  SignalState,
} from '../../protocol/index.ts';

/**
 * Payload builders: schema-valid device messages, deterministic from a sequence number so a run
 * can be replayed. Each device stamps strictly increasing whole-millisecond timestamps: InfluxDB
 * keys a point by measurement + tags + time, so two messages of one device in the same
 * millisecond would overwrite each other and read as lost data.
 */

/** Returns strictly increasing timestamps: the wall clock, or last + 1 when it has not moved on. */
export function monotonicStamp(): (nowMs: number) => number {
  let last = Number.NEGATIVE_INFINITY;
  return (nowMs) => {
    last = Math.max(Math.floor(nowMs), last + 1);
    return last;
  };
}

/** Cheap deterministic hash of two integers to [0, 1). */
function noise(a: number, b: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x7f4a7c15, 0xc2b2ae35);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  return (h >>> 0) / 4294967296;
}

export function cameraCounts(ts: number, seq: number, intervalS: number): CameraCounts {
  const r = noise(seq, 1);
  return {
    ts,
    intervalS,
    intensity: Math.floor(r * 12 * intervalS),
    occupancy: Math.round(r * 800) / 1000,
    averageVehicleSpeed: Math.round((20 + 40 * (1 - r)) * 10) / 10,
    queueLength: Math.floor(r * 25),
  };
}

const PHASES = ['P1', 'P2', 'P3', 'P4'] as const;

export function signalState(intersectionId: string, ts: number, seq: number): SignalState {
  return {
    ts,
    planId: 'stored-1',
    phase: PHASES[Math.floor(seq / 20) % PHASES.length] as string,
    phaseElapsedS: seq % 20,
    mode: 'fixed',
    faults: [],
    interval: seq % 20 < 16 ? 'green' : seq % 20 < 19 ? 'yellow' : 'allRed',
    cycleS: 80,
    source: 'stored',
    intersectionId,
  };
}

export interface MeterSpec {
  readonly id: string;
  readonly kind: MeterKind;
}

/**
 * One gateway batch: `count` readings, taken round-robin from the gateway's meters starting at
 * batch `seq`. Readings of the same meter in one batch get distinct timestamps (ts, ts-1, …).
 */
export function gatewayBatch(
  meters: readonly MeterSpec[],
  ts: number,
  seq: number,
  count: number,
): GatewayReadings {
  const out: GatewayReadings = [];
  for (let k = 0; k < count; k++) {
    const n = seq * count + k;
    const meter = meters[n % meters.length] as MeterSpec;
    const round = Math.floor(n / meters.length);
    const reading = {
      meterId: meter.id,
      ts: ts - Math.floor(k / meters.length),
      kind: meter.kind,
      value: Math.round((1000 + round * (meter.kind === 'water' ? 0.05 : 0.8)) * 1000) / 1000,
    };
    out.push(
      meter.kind === 'water'
        ? { ...reading, flow: Math.round(noise(n, 2) * 900) }
        : { ...reading, power: Math.round(noise(n, 3) * 5000) },
    );
  }
  return out;
}

/** Ids of the simulated fleet. A signal's device id is its intersection id (its topic carries it). */
export const fleetIds = {
  intersection: (i: number) => `X${String(i).padStart(5, '0')}`,
  camera: (i: number, approach: Approach) => `cam-X${String(i).padStart(5, '0')}-${approach}`,
  gateway: (i: number) => `gw-${String(i).padStart(5, '0')}`,
  meter: (gatewayIndex: number, j: number) =>
    `m-${String(gatewayIndex).padStart(5, '0')}-${String(j).padStart(3, '0')}`,
} as const;

export const APPROACHES: readonly Approach[] = ['N', 'E', 'S', 'W'];

/** Meter kinds behind a gateway alternate water / electricity. */
export function meterKindOf(j: number): MeterKind {
  return j % 2 === 0 ? 'water' : 'electricity';
}
