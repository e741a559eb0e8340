import { Counter, Gauge, type Registry as PromRegistry } from 'prom-client';
import type { SenderIdentity, SinkOutcome } from '../protocol/identity.ts';
import type { AclReason } from './acl.ts';

/** Why a CONNECT was refused (metric label and log field). */
export type ConnectRefusal =
  | 'missing_credentials'
  | 'client_id_mismatch'
  | 'unknown'
  | 'bad_secret'
  | 'revoked'
  | 'registry_error';

export interface BrokerMetrics {
  authFailure(reason: ConnectRefusal): void;
  aclRefusal(action: 'publish' | 'subscribe', reason: AclReason): void;
  message(outcome: SinkOutcome): void;
  sinkError(): void;
  revocationDisconnect(): void;
}

const clientLabels = [
  ['device', 'camera'],
  ['device', 'signal'],
  ['device', 'meter'],
  ['device', 'gateway'],
  ['service', 'service'],
] as const;

/**
 * The broker's prom-client metrics, registered on the registry handed in. `connected` is read
 * at scrape time, so the gauge can never drift from the truth.
 */
export function createBrokerMetrics(
  registry: PromRegistry,
  connected: () => Iterable<SenderIdentity>,
): BrokerMetrics {
  const registers = [registry];
  const authFailures = new Counter({
    name: 'broker_auth_failures_total',
    help: 'MQTT connections refused at CONNECT, by reason',
    labelNames: ['reason'],
    registers,
  });
  const aclRefusals = new Counter({
    name: 'broker_acl_refusals_total',
    help: 'Publishes (client disconnected) and subscriptions (SUBACK 0x80) refused by the ACL',
    labelNames: ['action', 'reason'],
    registers,
  });
  const messages = new Counter({
    name: 'broker_messages_total',
    help: 'Published messages handed to the sink, by its answer (rejected ones are not forwarded)',
    labelNames: ['outcome'],
    registers,
  });
  const sinkErrors = new Counter({
    name: 'broker_sink_errors_total',
    help: 'Messages the sink failed to take (not acknowledged; the client is disconnected and resends)',
    registers,
  });
  const revocations = new Counter({
    name: 'broker_revocation_disconnects_total',
    help: 'Connected clients disconnected because their registration was revoked',
    registers,
  });
  new Gauge({
    name: 'broker_connected_clients',
    help: 'Authenticated MQTT clients connected now, by role and device type',
    labelNames: ['role', 'type'],
    registers,
    collect() {
      const counts = new Map<string, number>(clientLabels.map(([, t]) => [t, 0]));
      for (const who of connected()) {
        const type = who.deviceType ?? 'service';
        counts.set(type, (counts.get(type) ?? 0) + 1);
      }
      for (const [role, type] of clientLabels) this.set({ role, type }, counts.get(type) ?? 0);
    },
  });

  // Children bound once: the per-message path must not build label keys.
  const byOutcome = {
    stored: messages.labels('stored'),
    rejected: messages.labels('rejected'),
    ignored: messages.labels('ignored'),
  };
  return {
    authFailure: (reason) => authFailures.inc({ reason }),
    aclRefusal: (action, reason) => aclRefusals.inc({ action, reason }),
    message: (outcome) => byOutcome[outcome].inc(),
    sinkError: () => sinkErrors.inc(),
    revocationDisconnect: () => revocations.inc(),
  };
}
