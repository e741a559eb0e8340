import type { z } from 'zod';
import {
  MAX_PAYLOAD_BYTES,
  type PayloadOf,
  parseTopic,
  type RejectReason,
  type SenderIdentity,
  type TopicKey,
  timestampInWindow,
  topics,
} from '../protocol/index.ts';

/** A message that passed every check, typed by its topic kind. */
export type ValidMessage = {
  [K in TopicKey]: { readonly ok: true; readonly key: K; readonly id: string; readonly data: PayloadOf<K> };
}[TopicKey];

export interface Rejection {
  readonly ok: false;
  readonly reason: RejectReason;
  /** Human-readable, for the rejects record and logs; never parsed. */
  readonly detail: string;
}

export type Validation = ValidMessage | Rejection;

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function reject(reason: RejectReason, detail: string): Rejection {
  return { ok: false, reason, detail };
}

/**
 * Decides whether one published message is accepted, in the order of docs/ingest.md: size
 * (before any parsing, so a huge payload costs nothing), topic, ownership, JSON, schema,
 * timestamps, gateway/meter registration. Pure: the clock is a parameter.
 */
export function validate(sender: SenderIdentity, topic: string, payload: Buffer, nowMs: number): Validation {
  if (payload.length > MAX_PAYLOAD_BYTES) {
    return reject('payload_too_large', `${payload.length} bytes > ${MAX_PAYLOAD_BYTES}`);
  }
  const parsed = parseTopic(topic);
  if (parsed === null) return reject('topic_unknown', topic);
  if (!mayPublish(sender, parsed.key, parsed.id)) {
    return reject('topic_device_mismatch', `${sender.id} may not publish ${topic}`);
  }

  let json: unknown;
  try {
    json = JSON.parse(strictUtf8.decode(payload));
  } catch (err) {
    return reject('payload_invalid_json', err instanceof Error ? err.message : String(err));
  }

  const result = topics[parsed.key].schema.safeParse(json);
  if (!result.success) return schemaRejection(result.error.issues);
  const msg = { ok: true, key: parsed.key, id: parsed.id, data: result.data } as ValidMessage;

  for (const ts of timestampsOf(msg)) {
    if (!timestampInWindow(ts, nowMs)) {
      return reject('timestamp_out_of_range', `ts ${ts} outside the window around ${nowMs}`);
    }
  }
  return checkMeters(sender, msg) ?? msg;
}

/**
 * The topic's id must be the sender's own: a camera or meter publishes under its device id, a
 * signal controller under its intersection id. Plans come only from services with `plan:publish`
 * (for any signal). Another device type's topic is refused even under the sender's own id.
 */
function mayPublish(sender: SenderIdentity, key: TopicKey, id: string): boolean {
  const spec = topics[key];
  if (spec.publishedBy === null) return sender.role === 'service' && sender.rights.includes('plan:publish');
  if (spec.publishedBy !== 'any' && sender.deviceType !== spec.publishedBy) return false;
  if (key === 'signalState') return id === (sender.intersectionId ?? sender.id);
  return id === sender.id;
}

const rangeCodes = new Set(['too_big', 'too_small']);

// Only when every issue is a range issue is it `value_out_of_range`: a payload that is also
// missing a field or carries an extra one is first of all the wrong shape.
function schemaRejection(issues: readonly z.core.$ZodIssue[]): Rejection {
  const reason = issues.every((i) => rangeCodes.has(i.code)) ? 'value_out_of_range' : 'schema_violation';
  const detail = issues
    .slice(0, 5)
    .map((i) => `${i.path.length > 0 ? i.path.join('.') : '(root)'}: ${i.message}`)
    .join('; ');
  return reject(reason, detail);
}

/** Every reading timestamp the message carries (a plan's `expiresAt` is a deadline, not a reading). */
function timestampsOf(msg: ValidMessage): number[] {
  switch (msg.key) {
    case 'cameraCounts':
    case 'signalState':
    case 'signalPlan':
      return [msg.data.ts];
    case 'deviceStatus':
      return msg.data.ts === undefined ? [] : [msg.data.ts];
    case 'meterReadings':
      return Array.isArray(msg.data) ? msg.data.map((r) => r.ts) : [msg.data.ts];
    case 'gatewayReadings':
      return msg.data.map((r) => r.ts);
    default:
      return assertNever(msg);
  }
}

/**
 * A gateway may relay only meters registered behind it, each with its registered kind; a meter's
 * reading must be of its registered kind. One bad reading refuses the whole message, so a device
 * never has to guess which part of an acknowledged batch was stored (docs/protocol.md).
 */
function checkMeters(sender: SenderIdentity, msg: ValidMessage): Rejection | null {
  if (msg.key === 'gatewayReadings') {
    const meters = sender.gatewayMeters ?? new Map();
    for (const [i, r] of msg.data.entries()) {
      if (!meters.has(r.meterId)) {
        return reject('meter_not_behind_gateway', `[${i}] meter ${r.meterId} is not behind ${sender.id}`);
      }
      const kind = meters.get(r.meterId);
      if (kind != null && kind !== r.kind) {
        return reject('meter_kind_mismatch', `[${i}] meter ${r.meterId} is ${kind}, reading is ${r.kind}`);
      }
    }
  }
  if (msg.key === 'meterReadings' && sender.meterKind !== null) {
    const readings = Array.isArray(msg.data) ? msg.data : [msg.data];
    const bad = readings.findIndex((r) => r.kind !== sender.meterKind);
    if (bad >= 0) {
      return reject('meter_kind_mismatch', `[${bad}] meter ${sender.id} is ${sender.meterKind}`);
    }
  }
  return null;
}

export function assertNever(x: never): never {
  throw new Error(`unexpected value ${JSON.stringify(x)}`);
}
