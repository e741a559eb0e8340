import { Point } from '@influxdata/influxdb-client';
import {
  type GatewayReading,
  type MeterReading,
  REJECT_SAMPLE_BYTES,
  type RejectReason,
  type SenderIdentity,
  type TopicKey,
  topics,
} from '../protocol/index.ts';
import { assertNever, type ValidMessage } from './validate.ts';

/** Measurement of refused messages (the others come from the topic map in protocol/topics.ts). */
export const REJECTS_MEASUREMENT = 'ingest_rejects';

/**
 * Nanosecond timestamp of a millisecond instant, built as a string: JS numbers above 2^53 round,
 * and two readings would then collide on one point (docs/engineering.md).
 */
export function nsOf(ms: number): string {
  return `${ms}000000`;
}

/**
 * InfluxDB line protocol for one accepted message; the official client's `Point` does the
 * escaping. A reading always becomes the same point (same measurement, tags and timestamp), so
 * replaying the spool or a device resending after a lost PUBACK overwrites instead of doubling.
 * Device status is not stored (it lives in the broker's retained messages): no lines.
 */
export function toLines(msg: ValidMessage, sender: SenderIdentity): string[] {
  switch (msg.key) {
    case 'cameraCounts': {
      const d = msg.data;
      const p = new Point(measurementOf('cameraCounts'))
        .tag('device', msg.id)
        .floatField('intervalS', d.intervalS)
        .intField('intensity', d.intensity);
      // Where the camera looks is registry data that never changes for a camera, so it is safe as
      // a tag (stable series key) and lets the dashboard group counts by intersection.
      if (sender.intersectionId !== null) p.tag('intersection', sender.intersectionId);
      if (sender.approach !== null) p.tag('approach', sender.approach);
      if (d.occupancy !== undefined) p.floatField('occupancy', d.occupancy);
      if (d.averageVehicleSpeed !== undefined) p.floatField('averageVehicleSpeed', d.averageVehicleSpeed);
      if (d.queueLength !== undefined) p.intField('queueLength', d.queueLength);
      return [line(p.timestamp(nsOf(d.ts)))];
    }
    case 'signalState': {
      const d = msg.data;
      const p = new Point(measurementOf('signalState'))
        .tag('device', msg.id)
        .stringField('planId', d.planId)
        .stringField('phase', d.phase)
        .floatField('phaseElapsedS', d.phaseElapsedS)
        .stringField('mode', d.mode)
        .stringField('faults', d.faults.join(','))
        .intField('faultCount', d.faults.length);
      if (d.interval !== undefined) p.stringField('interval', d.interval);
      if (d.cycleS !== undefined) p.floatField('cycleS', d.cycleS);
      if (d.source !== undefined) p.stringField('source', d.source);
      if (d.lastRejectedPlan !== undefined) {
        p.stringField('lastRejectedPlanId', d.lastRejectedPlan.planId)
          .stringField('lastRejectedReason', d.lastRejectedPlan.reason)
          .intField('lastRejectedTs', d.lastRejectedPlan.ts);
      }
      return [line(p.timestamp(nsOf(d.ts)))];
    }
    case 'signalPlan': {
      const d = msg.data;
      const p = new Point(measurementOf('signalPlan'))
        .tag('device', msg.id)
        .stringField('planId', d.planId)
        .stringField('source', d.source)
        .floatField('cycleS', d.cycleS)
        .floatField('offsetS', d.offsetS)
        .intField('phaseCount', d.phases.length)
        // The phases are kept whole so an audit can replay exactly what a signal was sent.
        .stringField('phases', JSON.stringify(d.phases))
        .stringField('sender', sender.id);
      if (d.flash !== undefined) p.booleanField('flash', d.flash);
      if (d.expiresAt !== undefined) p.intField('expiresAt', d.expiresAt);
      if (d.gapS !== undefined) p.floatField('gapS', d.gapS);
      return [line(p.timestamp(nsOf(d.ts)))];
    }
    case 'meterReadings': {
      const readings = Array.isArray(msg.data) ? msg.data : [msg.data];
      return readings.map((r) => meterLine(msg.id, r, null));
    }
    case 'gatewayReadings':
      return msg.data.map((r) => meterLine(r.meterId, r, msg.id));
    case 'deviceStatus':
      return [];
    default:
      return assertNever(msg);
  }
}

// Keyed by meter + ts only: the same reading relayed by a gateway or sent directly is one point,
// so `gateway` is a field, never a tag.
function meterLine(meterId: string, r: MeterReading | GatewayReading, gatewayId: string | null): string {
  const p = new Point(measurementOf('meterReadings'))
    .tag('device', meterId)
    .tag('kind', r.kind)
    .floatField('value', r.value);
  if (r.flow !== undefined) p.floatField('flow', r.flow);
  if (r.power !== undefined) p.floatField('power', r.power);
  if (gatewayId !== null) p.stringField('gateway', gatewayId);
  return line(p.timestamp(nsOf(r.ts)));
}

export interface RejectRecord {
  readonly sender: SenderIdentity;
  readonly topic: string;
  readonly payload: Buffer;
  readonly reason: RejectReason;
  readonly detail: string;
  /** When ingest received the message. */
  readonly receivedMs: number;
  /** 0..999,999, unique within `receivedMs` for this process (see `rejectSequence`). */
  readonly seq: number;
}

/**
 * One `ingest_rejects` point. Its timestamp is the receive millisecond followed by a 6-digit
 * sequence, so two refusals from one device in the same millisecond stay two points.
 */
export function rejectLine(r: RejectRecord): string {
  const sample = r.payload.subarray(0, REJECT_SAMPLE_BYTES).toString('utf8');
  const p = new Point(REJECTS_MEASUREMENT)
    .tag('device', r.sender.id)
    .tag('reason', r.reason)
    .stringField('topic', r.topic.slice(0, 1024))
    .stringField('detail', r.detail.slice(0, 1024))
    .stringField('sample', sample)
    .timestamp(`${r.receivedMs}${String(r.seq % 1_000_000).padStart(6, '0')}`);
  return line(p);
}

function measurementOf(key: TopicKey): string {
  const m = topics[key].measurement;
  if (m === null) throw new Error(`${key} is not stored`);
  return m;
}

function line(p: Point): string {
  const text = p.toLineProtocol();
  // Every point above has at least one field, so the client always serialises it.
  if (text === undefined) throw new Error('point without fields');
  return text;
}
