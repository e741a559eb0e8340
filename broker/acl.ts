import type { SenderIdentity } from '../protocol/identity.ts';
import { parseTopic, type TopicKey, topicKeys, topics } from '../protocol/topics.ts';

/**
 * Why the broker refused a publish or a subscription. Codes are stable: they are metric labels
 * (`broker_acl_refusals_total{reason}`) and log fields.
 */
export const aclReasons = {
  system_topic: 'topics and filters starting with $ are reserved for the broker',
  retain_forbidden: 'only device status (city/devices/{id}/status) may be retained',
  plan_forbidden: 'only service accounts with the plan:publish right may publish signal plans',
  topic_kind_forbidden: "a device publishes only its own type's topics and its own status",
  service_publish_forbidden: 'service accounts publish nothing but signal plans',
  wildcard_forbidden: 'devices may not subscribe with wildcards',
  subscribe_forbidden: 'not allowed to subscribe to this filter',
  filter_outside_city: 'telemetry subscriptions must stay under city/',
} as const;
export type AclReason = keyof typeof aclReasons;

export type AclDecision = { readonly ok: true } | { readonly ok: false; readonly reason: AclReason };

// Decisions are preallocated: the publish check runs for every message (~25,000/s) and must not
// allocate.
const ALLOW: AclDecision = Object.freeze({ ok: true });
const refusals = Object.fromEntries(
  Object.keys(aclReasons).map((reason) => [reason, Object.freeze({ ok: false, reason })]),
) as { readonly [R in AclReason]: AclDecision };

const DOLLAR = 36; // '$'

/**
 * The protocol v1 kind a topic has by its shape (prefix/…/suffix), whatever sits in the id level,
 * or null when it has none. Deliberately more lenient than parseTopic: `city/traffic/signals/x y/plan`
 * is still a plan topic for the ACL, so no malformed id can sneak a plan past the plan rule.
 */
export function topicKind(topic: string): TopicKey | null {
  const parsed = parseTopic(topic);
  if (parsed !== null) return parsed.key;
  for (const key of topicKeys) {
    const { prefix, suffix } = topics[key];
    if (
      topic.length > prefix.length + suffix.length + 2 &&
      topic.startsWith(prefix) &&
      topic.charAt(prefix.length) === '/' &&
      topic.endsWith(suffix) &&
      topic.charAt(topic.length - suffix.length - 1) === '/'
    ) {
      return key;
    }
  }
  return null;
}

/**
 * May `who` publish on `topic`? A refusal here makes the broker disconnect the client (MQTT 3.1.1
 * has no negative PUBACK), so only forbidden topic KINDS are refused. A publish on the device's
 * own kind of topic under another id, or on a topic outside protocol v1, is bad input rather
 * than an attack on someone else's topic: it is allowed here and the sink rejects it
 * (`topic_device_mismatch`, `topic_unknown`) while the device's valid messages keep flowing.
 */
export function decidePublish(who: SenderIdentity, topic: string, retain: boolean): AclDecision {
  if (topic.charCodeAt(0) === DOLLAR) return refusals.system_topic;
  const kind = topicKind(topic);
  // A retained message outlives its sender and is replayed to every new subscriber: only the
  // status topic, whose retained value is the device's last known state, may use it.
  if (retain && kind !== 'deviceStatus') return refusals.retain_forbidden;
  if (kind === 'signalPlan') {
    return who.role === 'service' && who.rights.includes('plan:publish') ? ALLOW : refusals.plan_forbidden;
  }
  if (who.role === 'service') return refusals.service_publish_forbidden;
  if (kind === null || kind === 'deviceStatus') return ALLOW;
  return topics[kind].publishedBy === who.deviceType ? ALLOW : refusals.topic_kind_forbidden;
}

/**
 * The one plan topic a signal controller may subscribe to: its intersection's (plans are
 * addressed to intersections), or its own id when it was registered without one.
 */
export function ownPlanTopic(who: SenderIdentity): string | null {
  if (who.role !== 'device' || who.deviceType !== 'signal') return null;
  return topics.signalPlan.of(who.intersectionId ?? who.id);
}

/**
 * May `who` subscribe to `filter`? A refusal is answered with SUBACK 0x80 for that filter; the
 * client stays connected.
 */
export function decideSubscribe(who: SenderIdentity, filter: string): AclDecision {
  if (filter.charCodeAt(0) === DOLLAR) return refusals.system_topic;
  if (who.role === 'service') {
    if (!who.rights.includes('telemetry:subscribe')) return refusals.subscribe_forbidden;
    return filter.startsWith('city/') ? ALLOW : refusals.filter_outside_city;
  }
  if (filter.includes('+') || filter.includes('#')) return refusals.wildcard_forbidden;
  return filter === ownPlanTopic(who) ? ALLOW : refusals.subscribe_forbidden;
}
