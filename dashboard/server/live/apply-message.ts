import { MAX_PAYLOAD_BYTES } from '../../../protocol/limits.ts';
import { parseTopic, topics } from '../../../protocol/topics.ts';
import type { LiveState } from './live-state.ts';

/** Why a message did not reach the live state (counted by the feed, never thrown). */
export type FeedSkip = 'topic_unknown' | 'payload_too_large' | 'payload_invalid_json' | 'schema_violation';

function assertNever(x: never): never {
  throw new Error(`unhandled topic kind ${String(x)}`);
}

/**
 * Validates one MQTT message against the protocol and folds it into the live state. The broker
 * only forwards what ingest stored, but the dashboard still checks every payload: a bug elsewhere
 * must not become a crash here. Returns null when applied, or why it was skipped.
 */
export function applyMessage(
  state: LiveState,
  topic: string,
  payload: Uint8Array,
  nowMs: number,
): FeedSkip | null {
  const parsed = parseTopic(topic);
  if (!parsed) return 'topic_unknown';
  if (payload.byteLength > MAX_PAYLOAD_BYTES) return 'payload_too_large';
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(payload));
  } catch {
    return 'payload_invalid_json';
  }
  const { key, id } = parsed;
  switch (key) {
    case 'cameraCounts': {
      const r = topics.cameraCounts.schema.safeParse(json);
      if (!r.success) return 'schema_violation';
      state.applyCameraCounts(id, r.data, nowMs);
      return null;
    }
    case 'signalState': {
      const r = topics.signalState.schema.safeParse(json);
      if (!r.success) return 'schema_violation';
      state.applySignalState(id, r.data, nowMs);
      return null;
    }
    case 'signalPlan': {
      const r = topics.signalPlan.schema.safeParse(json);
      if (!r.success) return 'schema_violation';
      state.applySignalPlan(id, r.data);
      return null;
    }
    case 'meterReadings': {
      const r = topics.meterReadings.schema.safeParse(json);
      if (!r.success) return 'schema_violation';
      state.applyMeterReadings(id, Array.isArray(r.data) ? r.data : [r.data], nowMs);
      return null;
    }
    case 'gatewayReadings': {
      const r = topics.gatewayReadings.schema.safeParse(json);
      if (!r.success) return 'schema_violation';
      state.applyGatewayReadings(id, r.data, nowMs);
      return null;
    }
    case 'deviceStatus': {
      const r = topics.deviceStatus.schema.safeParse(json);
      if (!r.success) return 'schema_violation';
      state.applyDeviceStatus(id, r.data, nowMs);
      return null;
    }
    default:
      return assertNever(key);
  }
}
