import type { z } from 'zod';
import { CameraCounts } from './camera-counts.ts';
import { DeviceStatus } from './device-status.ts';
import type { DeviceType } from './ids.ts';
import { EntityId } from './ids.ts';
import { GatewayReadings, MeterReadings } from './meter-reading.ts';
import { SignalPlan } from './signal-plan.ts';
import { SignalState } from './signal-state.ts';

interface TopicSpec<S extends z.ZodType> {
  /** MQTT filter matching every topic of this kind. */
  readonly filter: string;
  /** The literal levels around the single `{id}` level. */
  readonly prefix: string;
  readonly suffix: string;
  readonly schema: S;
  readonly qos: 0 | 1;
  readonly retain: boolean;
  /** Which device type publishes it (`null`: only service accounts with the `plan` right). */
  readonly publishedBy: DeviceType | 'any' | null;
  /** Stored by ingest into this InfluxDB measurement (`null`: not stored). */
  readonly measurement: string | null;
}

function topic<S extends z.ZodType>(
  prefix: string,
  suffix: string,
  spec: Omit<TopicSpec<S>, 'filter' | 'prefix' | 'suffix'>,
): TopicSpec<S> & { of(id: string): string } {
  return {
    ...spec,
    prefix,
    suffix,
    filter: `${prefix}/+/${suffix}`,
    of: (id: string) => `${prefix}/${id}/${suffix}`,
  };
}

/**
 * Device protocol v1: the one map from topic to schema. Never build a topic string by hand:
 * use `topics.x.of(id)` to publish and `topics.x.filter` to subscribe.
 */
export const topics = {
  cameraCounts: topic('city/traffic/cameras', 'counts', {
    schema: CameraCounts,
    qos: 1,
    retain: false,
    publishedBy: 'camera',
    measurement: 'traffic_counts',
  }),
  signalState: topic('city/traffic/signals', 'state', {
    schema: SignalState,
    qos: 1,
    retain: false,
    publishedBy: 'signal',
    measurement: 'signal_state',
  }),
  signalPlan: topic('city/traffic/signals', 'plan', {
    schema: SignalPlan,
    qos: 1,
    retain: false,
    publishedBy: null,
    measurement: 'signal_plan',
  }),
  meterReadings: topic('city/utility/meters', 'readings', {
    schema: MeterReadings,
    qos: 1,
    retain: false,
    publishedBy: 'meter',
    measurement: 'meter_readings',
  }),
  gatewayReadings: topic('city/utility/gateways', 'readings', {
    schema: GatewayReadings,
    qos: 1,
    retain: false,
    publishedBy: 'gateway',
    measurement: 'meter_readings',
  }),
  deviceStatus: topic('city/devices', 'status', {
    schema: DeviceStatus,
    qos: 1,
    retain: true,
    publishedBy: 'any',
    measurement: null,
  }),
} as const;

export type TopicKey = keyof typeof topics;
export const topicKeys = Object.keys(topics) as TopicKey[];

/** The payload type carried by a topic kind. */
export type PayloadOf<K extends TopicKey> = z.infer<(typeof topics)[K]['schema']>;

export interface ParsedTopic {
  readonly key: TopicKey;
  readonly id: string;
}

// Index by "prefix|suffix" so parsing a topic is two string scans and one map lookup: this runs
// for every message on the broker's hot path.
const byShape = new Map<string, TopicKey>(
  topicKeys.map((k) => [`${topics[k].prefix}|${topics[k].suffix}`, k]),
);

/**
 * Parses a concrete topic (no wildcards) into its kind and id, or returns null for a topic that
 * is not part of protocol v1 (including an id that is not a valid EntityId).
 */
export function parseTopic(topicName: string): ParsedTopic | null {
  const last = topicName.lastIndexOf('/');
  if (last <= 0) return null;
  const before = topicName.lastIndexOf('/', last - 1);
  if (before <= 0) return null;
  const key = byShape.get(`${topicName.slice(0, before)}|${topicName.slice(last + 1)}`);
  if (key === undefined) return null;
  const id = topicName.slice(before + 1, last);
  return EntityId.safeParse(id).success ? { key, id } : null;
}
