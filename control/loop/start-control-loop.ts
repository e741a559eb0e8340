import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import { connectMqtt } from '../../broker/mqtt-connection.ts';
import {
  type Approach,
  type BusConnection,
  type CityNetwork,
  type Intersection,
  parseTopic,
  SignalPlan,
  type SignalState,
  topics,
} from '../../protocol/index.ts';
import { scheduledPlan } from '../controllers/fixed-time.ts';
import type { ControllerKind } from '../core/control-config.ts';
import type { Decision } from '../core/decide-plan.ts';
import {
  applyCounts,
  applyFaults,
  type IntersectionState,
  newIntersectionState,
} from '../core/intersection-state.ts';
import { planTick } from '../core/plan-tick.ts';
import { ControlLoopSettings, type ControlLoopSettingsInput } from './loop-options.ts';
import { nextBoundaryMs } from './next-boundary.ts';

export interface LoopClock {
  now(): number;
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

const systemClock: LoopClock = {
  now: () => Date.now(),
  setInterval: (fn, ms) => setInterval(fn, ms),
  clearInterval: (h) => clearInterval(h as NodeJS.Timeout),
};

/** What the dashboard shows for one junction. */
export interface IntersectionStatus {
  readonly intersectionId: string;
  readonly controller: ControllerKind;
  /** `starting` until the first plan; `operator` while an operator override is in force. */
  readonly mode: ControllerKind | 'fallback' | 'operator' | 'starting';
  readonly fallbackReason: string | null;
  readonly plan: SignalPlan | null;
  readonly planSentAtMs: number | null;
  /** The last plan the envelope refused, and why (nothing was sent). */
  readonly refused: { readonly atMs: number; readonly reasons: readonly string[] } | null;
  readonly freshApproaches: number;
  readonly totalApproaches: number;
  readonly imputedApproaches: readonly string[];
  /** When counts last arrived for this junction, ms epoch. */
  readonly lastCountsMs: number | null;
  readonly signal: Pick<SignalState, 'mode' | 'planId' | 'faults' | 'ts'> | null;
  readonly operatorUntilMs: number | null;
}

export interface LoopCounters {
  messages: number;
  invalid: number;
  unknownCamera: number;
  plansSent: number;
  plansRefused: number;
  publishErrors: number;
}

export interface ControlLoop {
  status(): IntersectionStatus[];
  status(id: string): IntersectionStatus | undefined;
  on(event: 'status', listener: (s: IntersectionStatus) => void): ControlLoop;
  off(event: 'status', listener: (s: IntersectionStatus) => void): ControlLoop;
  counters(): Readonly<LoopCounters>;
  readonly connected: boolean;
  /** Resolves once connected and subscribed. */
  ready(): Promise<void>;
  stop(): Promise<void>;
}

export interface StartControlLoopOptions extends ControlLoopSettingsInput {
  readonly network: CityNetwork;
  readonly logger: Logger;
  readonly clock?: LoopClock;
  /** The loop's connection to the broker (it takes ownership and closes it on stop); without
   * one it connects over MQTT to `brokerUrl` with `credentials`. */
  readonly bus?: BusConnection;
}

/**
 * The control loop: a broker connection on its own service account that keeps
 * per-approach estimates from camera counts and signal faults, and at each junction's cycle
 * boundary sends the plan its controller proposes, after the safety envelope, on the plan topic
 * (QoS 1; ingest stores it). Operator overrides seen on the plan topic pause it for that junction.
 */
export function startControlLoop(opts: StartControlLoopOptions): ControlLoop {
  const { network, logger } = opts;
  const settings = ControlLoopSettings.parse({
    brokerUrl: opts.brokerUrl,
    credentials: opts.credentials,
    controller: opts.controller,
    defaultController: opts.defaultController,
    tickMs: opts.tickMs,
    leadS: opts.leadS,
    reconnectPeriodMs: opts.reconnectPeriodMs,
    config: opts.config,
  });
  const cfg = settings.config;
  const clock = opts.clock ?? systemClock;
  const log = logger.child({ svc: 'control' });
  const emitter = new EventEmitter();
  const counters: LoopCounters = {
    messages: 0,
    invalid: 0,
    unknownCamera: 0,
    plansSent: 0,
    plansRefused: 0,
    publishErrors: 0,
  };

  const byId = new Map(network.intersections.map((i) => [i.id, i]));
  const cameras = new Map(network.cameras.map((c) => [c.id, c]));
  const controllers = new Map<string, ControllerKind>(
    network.intersections.map((i) => [
      i.id,
      typeof settings.controller === 'string'
        ? settings.controller
        : (settings.controller[i.id] ?? settings.defaultController),
    ]),
  );
  const states = new Map<string, IntersectionState>(
    network.intersections.map((i) => [i.id, newIntersectionState()]),
  );
  const statuses = new Map<string, IntersectionStatus>();
  const lastCounts = new Map<string, number>();
  const signals = new Map<string, IntersectionStatus['signal']>();
  const plannedFor = new Map<string, number>();
  const refused = new Map<string, IntersectionStatus['refused']>();
  const sentAt = new Map<string, number>();
  for (const i of network.intersections) statuses.set(i.id, initialStatus(i));

  const bus = opts.bus ?? connectOverMqtt();
  function connectOverMqtt(): BusConnection {
    if (settings.brokerUrl === undefined || settings.credentials === undefined) {
      throw new Error('the control loop needs a bus, or a brokerUrl and credentials');
    }
    return connectMqtt({
      url: settings.brokerUrl,
      id: settings.credentials.id,
      secret: settings.credentials.secret,
      reconnectPeriodMs: settings.reconnectPeriodMs,
      onError: (err) => log.warn({ err: err.message }, 'mqtt error'),
    });
  }
  const filters = [topics.cameraCounts.filter, topics.signalState.filter, topics.signalPlan.filter];
  const readyPromise = bus
    .subscribe(filters, (topic, payload) => {
      counters.messages++;
      try {
        onMessage(topic, payload);
      } catch (err) {
        counters.invalid++;
        log.debug({ topic, err: (err as Error).message }, 'message dropped');
      }
    })
    .then(
      () => log.info({ filters }, 'control loop subscribed'),
      (err: unknown) => {
        log.error({ err }, 'subscribe failed');
        throw err;
      },
    );
  // ready() reports the failure; nobody else awaits this promise.
  readyPromise.catch(() => {});

  function onMessage(topic: string, payload: Buffer): void {
    const parsed = parseTopic(topic);
    if (!parsed) return;
    let body: unknown;
    try {
      body = JSON.parse(payload.toString('utf8'));
    } catch {
      counters.invalid++;
      return;
    }
    const now = clock.now();
    switch (parsed.key) {
      case 'cameraCounts': {
        const camera = cameras.get(parsed.id);
        const intersection = camera ? byId.get(camera.intersectionId) : undefined;
        const state = camera ? states.get(camera.intersectionId) : undefined;
        if (!camera || !intersection || !state) {
          counters.unknownCamera++;
          return;
        }
        const counts = topics.cameraCounts.schema.safeParse(body);
        if (!counts.success) {
          counters.invalid++;
          return;
        }
        applyCounts(state, intersection, camera.approach as Approach, counts.data, cfg);
        lastCounts.set(intersection.id, now);
        return;
      }
      case 'signalState': {
        const intersection = byId.get(parsed.id);
        const state = states.get(parsed.id);
        const s = topics.signalState.schema.safeParse(body);
        if (!intersection || !state || !s.success) {
          counters.invalid++;
          return;
        }
        applyFaults(state, intersection, s.data.faults, cfg);
        signals.set(parsed.id, {
          mode: s.data.mode,
          planId: s.data.planId,
          faults: s.data.faults,
          ts: s.data.ts,
        });
        return;
      }
      case 'signalPlan': {
        const state = states.get(parsed.id);
        const p = SignalPlan.safeParse(body);
        if (!state || !p.success || p.data.source !== 'operator') return;
        // An operator override runs until it expires; a cancel arrives with expiresAt <= now.
        if (p.data.expiresAt !== undefined && p.data.expiresAt > now) {
          state.operatorUntilMs = p.data.expiresAt;
          state.lastPlan = p.data;
        } else {
          state.operatorUntilMs = null;
          if (p.data.flash !== true) state.lastPlan = p.data;
        }
        publishStatus(parsed.id, null);
        return;
      }
      case 'meterReadings':
      case 'gatewayReadings':
      case 'deviceStatus':
        return;
      default: {
        const never: never = parsed.key;
        throw new Error(`unhandled topic kind ${String(never)}`);
      }
    }
  }

  function boundaryOf(intersection: Intersection, state: IntersectionState, now: number): number {
    const plan = state.lastPlan ?? scheduledPlan(intersection, now, cfg.utcOffsetMin);
    return nextBoundaryMs(now, plan.cycleS, plan.offsetS);
  }

  function tick(): void {
    const now = clock.now();
    const due = new Map<string, number>();
    for (const intersection of network.intersections) {
      const state = states.get(intersection.id) as IntersectionState;
      if (state.operatorUntilMs !== null) {
        if (state.operatorUntilMs > now) continue;
        state.operatorUntilMs = null;
      }
      const boundary = boundaryOf(intersection, state, now);
      if (boundary - now <= settings.leadS * 1000 && plannedFor.get(intersection.id) !== boundary) {
        due.set(intersection.id, boundary);
      }
    }
    if (due.size === 0) return;
    // Decisions for junctions that share a boundary are taken together (one tick, one pass).
    const byBoundary = new Map<number, Set<string>>();
    for (const [id, b] of due) byBoundary.set(b, (byBoundary.get(b) ?? new Set()).add(id));
    for (const [boundary, ids] of byBoundary) {
      const decisions = planTick({
        network,
        states,
        controller: controllers,
        nowMs: now,
        startsAtMs: boundary,
        cfg,
        // Only the junctions at this boundary (in network order), without a pass over the city.
        ids,
        commit: false,
      });
      for (const d of decisions) {
        plannedFor.set(d.intersectionId, boundary);
        send(d, boundary);
      }
    }
  }

  function send(d: Decision, boundary: number): void {
    const state = states.get(d.intersectionId) as IntersectionState;
    if (!d.plan) {
      counters.plansRefused++;
      refused.set(d.intersectionId, { atMs: clock.now(), reasons: d.refused });
      log.warn({ intersection: d.intersectionId, reasons: d.refused }, 'plan refused by the safety envelope');
      publishStatus(d.intersectionId, d);
      return;
    }
    if (!bus.connected) {
      publishStatus(d.intersectionId, d);
      return;
    }
    const plan = d.plan;
    bus
      .publish(topics.signalPlan.of(d.intersectionId), JSON.stringify(plan), { qos: 1 })
      .catch((err: Error) => {
        counters.publishErrors++;
        log.warn({ intersection: d.intersectionId, err: err.message }, 'plan publish failed');
      });
    counters.plansSent++;
    if (d.recomputed || state.lastComputedMs === null) state.lastComputedMs = boundary;
    state.lastPlan = plan;
    sentAt.set(d.intersectionId, clock.now());
    publishStatus(d.intersectionId, d);
  }

  function publishStatus(id: string, d: Decision | null): void {
    const prev = statuses.get(id);
    const state = states.get(id);
    if (!prev || !state) return;
    const next: IntersectionStatus = {
      ...prev,
      mode: state.operatorUntilMs !== null ? 'operator' : (d?.mode ?? prev.mode),
      fallbackReason: d ? d.fallbackReason : prev.fallbackReason,
      plan: state.lastPlan,
      planSentAtMs: sentAt.get(id) ?? null,
      refused: refused.get(id) ?? null,
      freshApproaches: d?.freshApproaches ?? prev.freshApproaches,
      totalApproaches: d?.totalApproaches ?? prev.totalApproaches,
      imputedApproaches: d?.imputed ?? prev.imputedApproaches,
      lastCountsMs: lastCounts.get(id) ?? null,
      signal: signals.get(id) ?? null,
      operatorUntilMs: state.operatorUntilMs,
    };
    statuses.set(id, next);
    emitter.emit('status', next);
  }

  function initialStatus(i: Intersection): IntersectionStatus {
    return {
      intersectionId: i.id,
      controller: controllers.get(i.id) ?? 'fixed',
      mode: 'starting',
      fallbackReason: null,
      plan: null,
      planSentAtMs: null,
      refused: null,
      freshApproaches: 0,
      totalApproaches: i.approaches.length,
      imputedApproaches: [],
      lastCountsMs: null,
      signal: null,
      operatorUntilMs: null,
    };
  }

  const timer = clock.setInterval(() => {
    try {
      tick();
    } catch (err) {
      log.error({ err }, 'control tick failed');
    }
  }, settings.tickMs);

  const loop: ControlLoop = {
    status: ((id?: string) => {
      if (id !== undefined) {
        const s = statuses.get(id);
        return s
          ? { ...s, lastCountsMs: lastCounts.get(id) ?? null, signal: signals.get(id) ?? null }
          : undefined;
      }
      return [...statuses.keys()].map((k) => loop.status(k) as IntersectionStatus);
    }) as ControlLoop['status'],
    on(event, listener) {
      emitter.on(event, listener);
      return loop;
    },
    off(event, listener) {
      emitter.off(event, listener);
      return loop;
    },
    counters: () => ({ ...counters }),
    get connected() {
      return bus.connected;
    },
    ready: () => readyPromise,
    async stop() {
      clock.clearInterval(timer);
      emitter.removeAllListeners();
      await bus.close();
    },
  };
  return loop;
}
