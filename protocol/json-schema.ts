import { z } from 'zod';
import { topicKeys, topics } from './topics.ts';

/**
 * JSON Schema (draft 2020-12) of every v1 payload, keyed by topic kind: what device vendors
 * validate their firmware against. Generated from the zod schemas, so it cannot drift.
 */
export function protocolJsonSchemas(): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of topicKeys) {
    const spec = topics[key];
    out[key] = {
      ...z.toJSONSchema(spec.schema, { target: 'draft-2020-12', io: 'input' }),
      title: key,
      description: `Payload of ${spec.filter.replace('+', '{id}')} (QoS ${spec.qos}${spec.retain ? ', retained' : ''})`,
    };
  }
  return out;
}
