import type { EventEmitter } from 'node:events';
import { Aedes, type AuthenticateError, type Client, type PublishPacket } from 'aedes';
import type { Logger } from 'pino';
import type { Registry as PromRegistry } from 'prom-client';
import type { BusConnection } from '../protocol/bus.ts';
import type { MessageSink, SenderIdentity } from '../protocol/identity.ts';
import { topics } from '../protocol/topics.ts';
import { decidePublish, decideSubscribe, topicKind } from './acl.ts';
import { type ConnectRefusal, createBrokerMetrics } from './broker-metrics.ts';
import { type Listeners, type ListeningPorts, type ListenOptions, startListeners } from './listeners.ts';
import { connectLocal } from './local-connection.ts';
import type { Registry } from './registry.ts';

export interface BrokerDeps {
  /** Only `check` (at CONNECT), `revokedIds` and `gatewayMeters` (the periodic sweep) are used. */
  readonly registry: Pick<Registry, 'check' | 'revokedIds' | 'gatewayMeters'>;
  /** Every authorised publish is handed here before it is acknowledged. */
  readonly sink: MessageSink;
  readonly logger: Logger;
  readonly metrics: PromRegistry;
  /** Clock for the `ts` of the status messages the broker publishes. */
  readonly now?: () => number;
  /** How often connected clients are checked against the registry (revocations, gateway meters);
   * 0 turns the timer off. */
  readonly revocationSweepMs?: number;
  /**
   * Messages aedes' emitter delivers at once before it queues (aedes default 100). Its queue is
   * an array drained with shift(), which costs O(length) per message once it grows: under a
   * burst the broker spends its time there (27 % of CPU in the benchmark's profile).
   */
  readonly concurrency?: number;
}

export interface Broker {
  readonly aedes: Aedes;
  /** Starts aedes and opens the listeners; resolves with the ports actually bound. */
  listen(opts: ListenOptions): Promise<ListeningPorts>;
  /** Disconnects connected clients whose registration was revoked; returns how many. */
  sweepRevocations(): number;
  /** Re-reads the meters behind every connected gateway; returns how many gateways changed. */
  refreshGateways(): number;
  /**
   * A connection for a service in this process (control loop, dashboard feed), acting as the
   * given service identity: same ACL and sink as over MQTT, no socket (local-connection.ts).
   */
  connectLocal(identity: SenderIdentity): BusConnection;
  /** Graceful: stop accepting, disconnect every client, close aedes. */
  close(): Promise<void>;
}

// Where a message the sink rejected is re-addressed before aedes publishes it (see
// authorizePublish). No client can subscribe to it: the ACL refuses every `$` filter, and aedes
// never hands `$` topics to `#`/`+` wildcard subscriptions [MQTT-4.7.2-1].
const REJECTED_TOPIC = '$rejected';

function connectError(returnCode: 2 | 3 | 4 | 5, message: string): AuthenticateError {
  return Object.assign(new Error(message), { returnCode }) as AuthenticateError;
}

/**
 * The authenticated MQTT broker: aedes with our registry, ACL and sink wired into its hooks. It is
 * handed its registry, sink, logger and metrics (as aedes is handed its persistence); only
 * `listen` opens sockets.
 */
export function createBroker(deps: BrokerDeps): Broker {
  const { registry, sink, logger } = deps;
  const now = deps.now ?? Date.now;
  const sweepMs = deps.revocationSweepMs ?? 10_000;

  // The identity is resolved once at CONNECT and kept beside the client: the per-message path
  // reads this map, never SQLite.
  const identities = new WeakMap<Client, SenderIdentity>();
  // Connected clients by id, for the revocation sweep and the connected-clients gauge.
  const connected = new Map<string, Client>();
  const metrics = createBrokerMetrics(deps.metrics, function* () {
    for (const c of connected.values()) {
      const who = identities.get(c);
      if (who !== undefined) yield who;
    }
  });

  let closing = false;
  let listeners: Listeners | null = null;
  let sweepTimer: NodeJS.Timeout | null = null;
  const locals = new Set<BusConnection>();

  const aedes = new Aedes({
    // MQTT 3.1 limited client ids to 23 characters; ours are up to 64 (EntityId).
    maxClientsIdLength: 64,
    concurrency: deps.concurrency ?? 100,

    authenticate(client, username, password, done) {
      const refuse = (reason: ConnectRefusal, code: 2 | 3 | 4 | 5) => {
        metrics.authFailure(reason);
        logger.warn({ device: username ?? null, clientId: client.id, reason }, 'connection refused');
        done(connectError(code, reason), false);
      };
      if (username === undefined || password === undefined) return refuse('missing_credentials', 4);
      // The MQTT session belongs to the client id: if it could differ from the authenticated id,
      // one device could connect as itself under another's client id and take over its session.
      if (client.id !== username) return refuse('client_id_mismatch', 2);
      registry.check(username, password.toString('utf8')).then(
        (result) => {
          if (!result.ok) return refuse(result.reason, result.reason === 'revoked' ? 5 : 4);
          identities.set(client, result.identity);
          done(null, true);
        },
        (err: unknown) => {
          logger.error({ err, device: username }, 'registry failed during authentication');
          refuse('registry_error', 3);
        },
      );
    },

    authorizePublish(client, packet, done) {
      const who = client === null ? undefined : identities.get(client);
      // A will left by a broker that died (aedes replays those without a client): nobody to
      // attribute it to, so it is dropped.
      if (who === undefined) return done(new Error('publish without an authenticated sender'));
      const decision = decidePublish(who, packet.topic, packet.retain);
      if (!decision.ok) {
        metrics.aclRefusal('publish', decision.reason);
        logger.warn({ device: who.id, topic: packet.topic, reason: decision.reason }, 'publish refused');
        // An error here makes aedes disconnect the client (MQTT 3.1.1 has no negative PUBACK).
        return done(new Error(`publish refused: ${decision.reason}`));
      }
      const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
      // aedes writes the QoS 1 PUBACK only after this callback: waiting for the sink is what
      // makes a PUBACK mean "durable" (docs/engineering.md).
      sink.receive(who, packet.topic, payload).then(
        (outcome) => {
          metrics.message(outcome);
          if (outcome === 'rejected' || (client !== null && isStaleStatus(client, who, packet))) {
            suppress(packet);
          }
          done(null);
        },
        (err: unknown) => {
          // Not acknowledged: the client is disconnected and resends the QoS 1 message after it
          // reconnects, so nothing acknowledged is lost.
          metrics.sinkError();
          logger.error({ err, device: who.id, topic: packet.topic }, 'sink failed; message not acknowledged');
          done(err instanceof Error ? err : new Error(String(err)));
        },
      );
    },

    authorizeSubscribe(client, sub, done) {
      const who = identities.get(client);
      const decision = who === undefined ? null : decideSubscribe(who, sub.topic);
      if (decision?.ok) return done(null, sub);
      const reason = decision?.reason ?? 'subscribe_forbidden';
      metrics.aclRefusal('subscribe', reason);
      logger.warn({ device: who?.id ?? client.id, topic: sub.topic, reason }, 'subscription refused');
      // null (not an error) answers SUBACK 0x80 for this filter and keeps the client connected.
      done(null, null);
    },
  });

  /**
   * A message the sink rejected is still acknowledged (MQTT 3.1.1 has no negative PUBACK), and
   * aedes publishes every message whose authorizePublish succeeded. It must reach no subscriber,
   * no offline queue and no retained store. Re-addressing the packet to REJECTED_TOPIC, with
   * retain cleared, does all three before aedes looks at it: retained storage, the offline-queue
   * lookup and mqemitter all key on the topic, and nothing can subscribe to it. The alternative,
   * `authorizeForward`, runs per subscriber AFTER the retained store and the offline enqueue, and a
   * mark on the packet would have to survive aedes' copies and any persistence.
   */
  function suppress(packet: PublishPacket): void {
    packet.topic = REJECTED_TOPIC;
    packet.retain = false;
  }

  /**
   * A device's will (its `offline` status) is published when its old connection closes; if the
   * device has reconnected meanwhile, that status is stale and must not overwrite `online`.
   */
  function isStaleStatus(client: Client, who: SenderIdentity, packet: PublishPacket): boolean {
    if (!client.closed || topicKind(packet.topic) !== 'deviceStatus') return false;
    const current = connected.get(who.id);
    return current !== undefined && current !== client;
  }

  function publishStatus(id: string, status: 'online' | 'offline'): void {
    aedes.publish(
      {
        cmd: 'publish',
        topic: topics.deviceStatus.of(id),
        payload: Buffer.from(JSON.stringify({ status, ts: now() })),
        qos: 1,
        retain: true,
        dup: false,
      },
      (err) => {
        if (err) logger.warn({ err, device: id, status }, 'could not publish device status');
      },
    );
  }

  aedes.on('client', (client) => {
    const who = identities.get(client);
    if (who === undefined) return;
    connected.set(who.id, client);
    logger.debug({ device: who.id, role: who.role }, 'client connected');
    if (who.role === 'device') publishStatus(who.id, 'online');
  });

  aedes.on('clientDisconnect', (client) => {
    const who = identities.get(client);
    if (who === undefined) return;
    if (connected.get(who.id) === client) connected.delete(who.id);
    logger.debug({ device: who.id }, 'client disconnected');
    // On shutdown the retained store goes with the broker; devices are told by the restart.
    if (who.role === 'device' && !closing) publishStatus(who.id, 'offline');
  });

  aedes.on('clientError', (client, err) => {
    logger.debug({ device: client.id, err: err.message }, 'client error');
  });
  aedes.on('connectionError', (_client, err) => {
    logger.debug({ err: err.message }, 'connection error before CONNECT');
  });
  // aedes emits 'error' for persistence and will-replay failures; unhandled it would crash us.
  // (Aedes' typings list only its own events, hence the plain EventEmitter view.)
  const emitter: EventEmitter = aedes;
  emitter.on('error', (err: Error) => logger.error({ err }, 'aedes error'));

  function sweepRevocations(): number {
    if (connected.size === 0) return 0;
    let n = 0;
    for (const id of registry.revokedIds()) {
      const client = connected.get(id);
      if (client === undefined) continue;
      logger.warn({ device: id }, 'disconnecting revoked client');
      metrics.revocationDisconnect();
      client.close();
      n++;
    }
    return n;
  }

  /**
   * A gateway's meters are part of its identity (ingest refuses readings for meters not behind
   * it), so meters provisioned or revoked while it is connected must reach the cached identity
   * without a reconnect.
   */
  function refreshGateways(): number {
    let changed = 0;
    for (const client of connected.values()) {
      const who = identities.get(client);
      if (who?.deviceType !== 'gateway') continue;
      const meters = registry.gatewayMeters(who.id);
      if (sameMeters(meters, who.gatewayMeters)) continue;
      identities.set(client, Object.freeze({ ...who, gatewayMeters: meters }));
      changed++;
    }
    return changed;
  }

  return {
    aedes,
    async listen(opts) {
      if (listeners !== null) throw new Error('broker is already listening');
      await aedes.listen();
      listeners = await startListeners(aedes.handle, opts);
      if (sweepMs > 0) {
        sweepTimer = setInterval(() => {
          try {
            sweepRevocations();
            refreshGateways();
          } catch (err) {
            logger.error({ err }, 'registry sweep failed');
          }
        }, sweepMs);
        sweepTimer.unref();
      }
      logger.info({ ...listeners.ports, host: opts.host }, 'broker listening');
      return listeners.ports;
    },
    sweepRevocations,
    refreshGateways,
    connectLocal(identity) {
      if (identity.role !== 'service') throw new Error('only service accounts connect in-process');
      const conn = connectLocal({ aedes, sink, identity, onOutcome: (o) => metrics.message(o) });
      locals.add(conn);
      return conn;
    },
    async close() {
      if (closing) return;
      closing = true;
      if (sweepTimer !== null) clearInterval(sweepTimer);
      await Promise.all([...locals].map((c) => c.close()));
      const serversClosed = listeners?.stopAccepting() ?? Promise.resolve();
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
      listeners?.destroyConnections();
      await serversClosed;
    },
  };
}

function sameMeters(a: ReadonlyMap<string, unknown>, b: ReadonlyMap<string, unknown> | null): boolean {
  if (b === null || a.size !== b.size) return false;
  for (const [k, v] of a) if (!b.has(k) || b.get(k) !== v) return false;
  return true;
}
