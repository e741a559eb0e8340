import type { Approach, MeterKind } from '../../protocol/index.ts';
import { LatencyHistogram } from '../lib/percentiles.ts';
import { APPROACHES, fleetIds, meterKindOf } from './payloads.ts';
import { type Profile, type QoS, readingsPerBatch, splitEven } from './profiles.ts';
import type { DeviceKind, WorkerStats } from './worker-protocol.ts';

/** What the registry needs to provision one device (the contract's `addDevices` spec). */
export interface DeviceSpec {
  readonly id: string;
  readonly type: 'camera' | 'signal' | 'meter' | 'gateway';
  readonly intersectionId?: string;
  readonly approach?: Approach;
  readonly gatewayId?: string;
  readonly meterKind?: MeterKind;
}

export interface FleetGroup {
  readonly kind: DeviceKind;
  readonly qos: QoS;
  readonly periodMs: number;
  readonly ids: readonly string[];
  /** Gateways only: index per id for meter ids, meters behind each, readings per batch. */
  readonly gatewayIndexes?: readonly number[];
  readonly metersPerGateway?: number;
  readonly readingsPerBatch?: number;
  readonly intervalS?: number;
}

export interface Fleet {
  readonly groups: readonly FleetGroup[];
  /** Every device to register, meters behind gateways included (they never connect). */
  readonly specs: readonly DeviceSpec[];
}

/** The devices of a profile: signal ids are intersection ids; each intersection has 4 cameras. */
export function fleetOf(p: Profile): Fleet {
  const groups: FleetGroup[] = [];
  const specs: DeviceSpec[] = [];
  for (const g of p.groups) {
    if (g.type === 'gateway') {
      const gatewayIndexes = Array.from({ length: g.count }, (_, i) => i + 1);
      const ids = gatewayIndexes.map(fleetIds.gateway);
      for (const [k, gi] of gatewayIndexes.entries()) {
        const gatewayId = ids[k] as string;
        specs.push({ id: gatewayId, type: 'gateway' });
        for (let j = 0; j < g.metersPerGateway; j++)
          specs.push({ id: fleetIds.meter(gi, j), type: 'meter', gatewayId, meterKind: meterKindOf(j) });
      }
      groups.push({
        kind: 'gateway',
        qos: g.qos,
        periodMs: g.batchPeriodMs,
        ids,
        gatewayIndexes,
        metersPerGateway: g.metersPerGateway,
        readingsPerBatch: readingsPerBatch(g),
      });
    } else if (g.type === 'signal') {
      const ids = Array.from({ length: g.count }, (_, i) => fleetIds.intersection(i + 1));
      for (const id of ids) specs.push({ id, type: 'signal', intersectionId: id });
      groups.push({ kind: 'signal', qos: g.qos, periodMs: g.periodMs, ids });
    } else {
      const ids: string[] = [];
      for (let k = 0; k < g.count; k++) {
        const i = Math.floor(k / 4) + 1;
        const approach = APPROACHES[k % 4] as Approach;
        const id = fleetIds.camera(i, approach);
        ids.push(id);
        specs.push({ id, type: 'camera', intersectionId: fleetIds.intersection(i), approach });
      }
      groups.push({ kind: 'camera', qos: g.qos, periodMs: g.periodMs, ids, intervalS: g.periodMs / 1000 });
    }
  }
  return { groups, specs };
}

/** A camera-only fleet offering `ratePerSec` in total over `cameras` connections (saturation sweeps). */
export function cameraFleet(cameras: number, ratePerSec: number, qos: QoS): Fleet {
  const base = fleetOf({
    name: 'cameras',
    description: '',
    groups: [{ type: 'camera', count: cameras, periodMs: (cameras * 1000) / ratePerSec, qos }],
    rampPerSec: 1000,
    durationS: 0,
  });
  return { ...base, groups: base.groups.map((g) => ({ ...g, intervalS: 1 })) };
}

/** Deals each group's devices to `children` round-robin, so every child carries the same mix. */
export function dealDevices<T>(items: readonly T[], children: number): T[][] {
  const out: T[][] = Array.from({ length: children }, () => []);
  items.forEach((it, i) => {
    (out[i % children] as T[]).push(it);
  });
  return out;
}

export { splitEven };

/** Fleet-wide totals from the latest stats of every child: one child's stats, summed. */
export type FleetTotals = Omit<WorkerStats, 'childIndex'>;

export function mergeStats(all: readonly WorkerStats[]): FleetTotals {
  const h = new LatencyHistogram();
  const byKind: Record<DeviceKind, number> = { signal: 0, camera: 0, gateway: 0 };
  const sum = (f: (s: WorkerStats) => number) => all.reduce((acc, s) => acc + f(s), 0);
  let firstError: string | undefined;
  for (const s of all) {
    h.merge(s.latency);
    for (const k of Object.keys(byKind) as DeviceKind[]) byKind[k] += s.ackedByKind[k];
    firstError ??= s.firstError;
  }
  return {
    connected: sum((s) => s.connected),
    connectFailed: sum((s) => s.connectFailed),
    closedUnexpectedly: sum((s) => s.closedUnexpectedly),
    sent: sum((s) => s.sent),
    acked: sum((s) => s.acked),
    readingsAcked: sum((s) => s.readingsAcked),
    errors: sum((s) => s.errors),
    skipped: sum((s) => s.skipped),
    inflight: sum((s) => s.inflight),
    ackedByKind: byKind,
    latency: h.toJSON(),
    ...(firstError ? { firstError } : {}),
  };
}

/** Rate of a counter between two samples, per second. */
export function ratePerSec(before: number, after: number, elapsedMs: number): number {
  return elapsedMs > 0 ? ((after - before) * 1000) / elapsedMs : 0;
}
