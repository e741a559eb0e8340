import type { MessageSink, SenderIdentity, SinkOutcome } from '../protocol/identity.ts';
import { decidePublish, decideSubscribe } from './acl.ts';

/**
 * The steps an in-process service connection (local-connection.ts, cluster/cluster-bus.ts) takes
 * where a remote client's would be taken by aedes' hooks: the same ACL, and for a publish the
 * same sink, before anything is delivered.
 */

/** Throws, naming the filter, unless the service may subscribe to every one of `filters`. */
export function checkServiceSubscribe(identity: SenderIdentity, filters: readonly string[]): void {
  for (const filter of filters) {
    const decision = decideSubscribe(identity, filter);
    if (!decision.ok) throw new Error(`subscription to ${filter} refused: ${decision.reason}`);
  }
}

/**
 * ACL, then the sink: resolves with the payload bytes once the message is durable; throws when
 * the ACL refuses it or ingest rejects it (nothing is delivered then).
 */
export async function acceptServicePublish(
  identity: SenderIdentity,
  sink: MessageSink,
  topic: string,
  payload: string,
  retain: boolean,
  onOutcome: (outcome: SinkOutcome) => void,
): Promise<Buffer> {
  const decision = decidePublish(identity, topic, retain);
  if (!decision.ok) throw new Error(`publish refused: ${decision.reason}`);
  const body = Buffer.from(payload);
  const outcome = await sink.receive(identity, topic, body);
  onOutcome(outcome);
  if (outcome === 'rejected') throw new Error(`publish rejected by ingest: ${topic}`);
  return body;
}
