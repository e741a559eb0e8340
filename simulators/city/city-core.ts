import type {
  Approach,
  CityNetwork,
  GatewayReading,
  Intersection,
  MeterKind,
  SignalPlan,
} from '../../protocol/index.ts';
import { SignalPlan as SignalPlanSchema, topics } from '../../protocol/index.ts';
import {
  type ApproachObservation,
  type CameraFault,
  cameraCountsFrom,
} from '../devices/camera-counts-from.ts';
import { bufferReadings, emptyBuffer, type GatewayBuffer, takeBatches } from '../devices/gateway-batcher.ts';
import { createMeterSim, type MeterAnomaly, type MeterSim, readMeter } from '../devices/meter-simulation.ts';
import {
  advanceExecutor,
  createExecutor,
  type ExecutorState,
  executorSignalState,
  type MovementColour,
  movementColours,
  offerPlan,
} from '../devices/plan-executor.ts';
import { deviceSeed, type Rng, seededRng } from '../devices/seeded-rng.ts';
import { signalDeviceId } from './city-devices.ts';

/** The traffic model as the city drives it (simulators/model implements it). */
export interface TrafficModelLike {
  readonly nowMs: number;
  step(): void;
  setSignals(intersectionId: string, colours: ReadonlyMap<string, 'green' | 'yellow' | 'red'>): void;
  observeApproach(intersectionId: string, approach: Approach): ApproachObservation;
}

/** One message a device sends: which device, which topic, which protocol payload. */
export interface Outgoing {
  readonly deviceId: string;
  readonly topic: string;
  readonly payload: unknown;
}

export interface FaultRates {
  readonly cameraStuck: number;
  readonly cameraSilent: number;
  readonly cameraMiscounting: number;
  readonly meterLeak: number;
  readonly meterStuck: number;
  readonly meterOutage: number;
}

export const DEFAULT_FAULTS: FaultRates = {
  cameraStuck: 0.005,
  cameraSilent: 0.005,
  cameraMiscounting: 0.01,
  meterLeak: 0.01,
  meterStuck: 0.005,
  meterOutage: 0.005,
};

export interface CityCoreOptions {
  readonly seed: number;
  readonly utcOffsetMin?: number;
  /** Model step, ms (the model's `stepS` × 1000). */
  readonly stepMs?: number;
  readonly cameraIntervalS?: number;
  readonly cameraNoise?: number;
  /** How often every meter is read, s. */
  readonly meterReadS?: number;
  /** How often a gateway sends what it collected (60 s in the live demo). */
  readonly gatewayPeriodS?: number;
  /** Heartbeat of signal state between phase changes, s. */
  readonly signalStateEveryS?: number;
  readonly faults?: Partial<FaultRates>;
}

interface CameraSim {
  readonly id: string;
  readonly intersectionId: string;
  readonly approach: Approach;
  readonly fault: CameraFault;
  readonly rng: Rng;
  /** The model's counters when the current interval began. */
  start: ApproachObservation;
  /** False until the first (partial, staggered) interval has passed: it is not reported. */
  primed: boolean;
  nextDueMs: number;
  last: ReturnType<typeof cameraCountsFrom>;
}

interface SignalSim {
  readonly deviceId: string;
  readonly intersection: Intersection;
  exec: ExecutorState;
  lastPublishMs: number;
}

interface MeterSlot {
  sim: MeterSim;
  readonly rng: Rng;
  readonly gatewayId: string | null;
  nextDueMs: number;
}

interface GatewaySim {
  readonly id: string;
  buf: GatewayBuffer;
  nextDueMs: number;
}

export interface CityCoreStats {
  readonly simTimeMs: number;
  readonly messages: number;
  readonly plansAccepted: number;
  readonly plansRejected: number;
}

/**
 * The simulated city without sockets: the traffic model, every signal controller's executor
 * driving it, and what each camera, meter and gateway would send. `tick(nowMs)` advances all of
 * it to a city-clock instant and returns the device messages due; received plans go in through
 * `receivePlan`. The MQTT side (one process or shards) only delivers these messages.
 */
export class CityCore {
  readonly #model: TrafficModelLike;
  readonly #stepMs: number;
  readonly #cameraIntervalMs: number;
  readonly #cameraNoise: number;
  readonly #meterReadMs: number;
  readonly #gatewayMs: number;
  readonly #signalEveryMs: number;
  readonly #utcOffsetMin: number;
  readonly #cameras: CameraSim[] = [];
  readonly #signals = new Map<string, SignalSim>();
  readonly #meters: MeterSlot[] = [];
  readonly #gateways = new Map<string, GatewaySim>();
  #messages = 0;
  #plansAccepted = 0;
  #plansRejected = 0;

  constructor(network: CityNetwork, model: TrafficModelLike, opts: CityCoreOptions) {
    this.#model = model;
    this.#stepMs = opts.stepMs ?? 1000;
    this.#cameraIntervalMs = (opts.cameraIntervalS ?? 5) * 1000;
    this.#cameraNoise = opts.cameraNoise ?? 0.05;
    this.#meterReadMs = (opts.meterReadS ?? 60) * 1000;
    this.#gatewayMs = (opts.gatewayPeriodS ?? 60) * 1000;
    this.#signalEveryMs = (opts.signalStateEveryS ?? 5) * 1000;
    this.#utcOffsetMin = opts.utcOffsetMin ?? 180;
    const faults = { ...DEFAULT_FAULTS, ...opts.faults };
    const t0 = model.nowMs;

    for (const i of network.intersections) {
      const exec = createExecutor(i, t0, { utcOffsetMin: this.#utcOffsetMin });
      this.#signals.set(i.id, {
        deviceId: signalDeviceId(i.id),
        intersection: i,
        exec,
        lastPublishMs: -Infinity,
      });
      model.setSignals(i.id, forModel(movementColours(exec)));
    }
    for (const c of network.cameras) {
      const rng = seededRng(deviceSeed(opts.seed, c.id));
      this.#cameras.push({
        id: c.id,
        intersectionId: c.intersectionId,
        approach: c.approach,
        fault: pickCameraFault(rng, faults),
        rng,
        start: model.observeApproach(c.intersectionId, c.approach),
        // Staggered: a city's cameras do not all report in the same millisecond.
        primed: false,
        nextDueMs: t0 + this.#stepMs + Math.floor(rng() * this.#cameraIntervalMs),
        last: null,
      });
    }
    for (const g of network.gateways) {
      const r = seededRng(deviceSeed(opts.seed, g.id));
      this.#gateways.set(g.id, {
        id: g.id,
        buf: emptyBuffer,
        nextDueMs: t0 + Math.floor(r() * this.#gatewayMs) + 1,
      });
    }
    for (const b of network.buildings) {
      for (const m of b.meters) {
        const rng = seededRng(deviceSeed(opts.seed, m.id));
        const scale = 0.3 + rng() * 3;
        this.#meters.push({
          sim: createMeterSim({
            id: m.id,
            kind: m.kind,
            use: b.use,
            scale,
            anomaly: pickMeterAnomaly(rng, faults, m.kind, t0),
            startMs: t0,
            register: Math.round(rng() * 50_000),
          }),
          rng,
          gatewayId: m.gatewayId ?? null,
          nextDueMs: t0 + Math.floor(rng() * this.#meterReadMs) + 1,
        });
      }
    }
  }

  get nowMs(): number {
    return this.#model.nowMs;
  }

  /** Advances model and devices to `nowMs` (whole model steps) and returns the messages due. */
  tick(nowMs: number): Outgoing[] {
    const out: Outgoing[] = [];
    while (this.#model.nowMs + this.#stepMs <= nowMs) {
      const t = this.#model.nowMs + this.#stepMs;
      this.#advanceSignals(t, out);
      this.#model.step();
      this.#cameraStep(t, out);
    }
    const t = this.#model.nowMs;
    this.#metersDue(t, out);
    this.#gatewaysDue(t, out);
    this.#messages += out.length;
    return out;
  }

  /** A plan arrived on an intersection's plan topic: check, offer, and answer with its state. */
  receivePlan(intersectionId: string, payload: Buffer | string): Outgoing[] {
    const sig = this.#signals.get(intersectionId);
    if (!sig) return [];
    const now = this.#model.nowMs;
    sig.exec = advanceExecutor(sig.exec, now).state;
    const parsed = parsePlan(payload);
    const before = sig.exec.lastRejectedPlan;
    if ('error' in parsed) {
      sig.exec = {
        ...sig.exec,
        lastRejectedPlan: { planId: parsed.planId, reason: parsed.error.slice(0, 256), ts: Math.floor(now) },
      };
    } else {
      sig.exec = offerPlan(sig.exec, parsed.plan, now);
    }
    if (sig.exec.lastRejectedPlan !== before) this.#plansRejected++;
    else this.#plansAccepted++;
    // Report at once, so the sender sees the verdict without waiting for the next change.
    const msg = this.#stateMessage(sig, now);
    this.#messages++;
    return [msg];
  }

  signalState(intersectionId: string) {
    const sig = this.#signals.get(intersectionId);
    return sig ? executorSignalState(sig.exec, this.#model.nowMs) : null;
  }

  stats(): CityCoreStats {
    return {
      simTimeMs: this.#model.nowMs,
      messages: this.#messages,
      plansAccepted: this.#plansAccepted,
      plansRejected: this.#plansRejected,
    };
  }

  #advanceSignals(t: number, out: Outgoing[]): void {
    for (const sig of this.#signals.values()) {
      const { state, changes } = advanceExecutor(sig.exec, t);
      sig.exec = state;
      if (changes.length > 0) {
        this.#model.setSignals(sig.intersection.id, forModel(movementColours(state)));
        out.push(this.#stateMessage(sig, t));
      } else if (t - sig.lastPublishMs >= this.#signalEveryMs) {
        out.push(this.#stateMessage(sig, t));
      }
    }
  }

  #stateMessage(sig: SignalSim, t: number): Outgoing {
    sig.lastPublishMs = t;
    return {
      deviceId: sig.deviceId,
      topic: topics.signalState.of(sig.intersection.id),
      payload: executorSignalState(sig.exec, t),
    };
  }

  #cameraStep(t: number, out: Outgoing[]): void {
    for (const cam of this.#cameras) {
      if (t < cam.nextDueMs) continue;
      const end = this.#model.observeApproach(cam.intersectionId, cam.approach);
      cam.nextDueMs += this.#cameraIntervalMs;
      if (!cam.primed) {
        cam.primed = true;
        cam.start = end;
        continue;
      }
      const counts = cameraCountsFrom(cam.start, end, {
        endMs: t,
        intervalS: this.#cameraIntervalMs / 1000,
        noise: this.#cameraNoise,
        fault: cam.fault,
        rng: cam.rng,
        last: cam.last,
      });
      if (counts) {
        cam.last = counts;
        out.push({ deviceId: cam.id, topic: topics.cameraCounts.of(cam.id), payload: counts });
      }
      cam.start = end;
    }
  }

  #metersDue(t: number, out: Outgoing[]): void {
    for (const m of this.#meters) {
      if (t < m.nextDueMs) continue;
      m.nextDueMs += this.#meterReadMs * Math.max(1, Math.ceil((t - m.nextDueMs + 1) / this.#meterReadMs));
      const { sim, reading } = readMeter(m.sim, t, {
        utcOffsetMin: this.#utcOffsetMin,
        noise: 0.03,
        rng: m.rng,
      });
      m.sim = sim;
      if (!reading) continue;
      const gw = m.gatewayId === null ? undefined : this.#gateways.get(m.gatewayId);
      if (gw) {
        const relayed: GatewayReading = { ...reading, meterId: m.sim.id };
        gw.buf = bufferReadings(gw.buf, [relayed], 20_000);
      } else {
        out.push({ deviceId: m.sim.id, topic: topics.meterReadings.of(m.sim.id), payload: reading });
      }
    }
  }

  #gatewaysDue(t: number, out: Outgoing[]): void {
    for (const g of this.#gateways.values()) {
      if (t < g.nextDueMs) continue;
      g.nextDueMs += this.#gatewayMs * Math.max(1, Math.ceil((t - g.nextDueMs + 1) / this.#gatewayMs));
      const { batches, buf } = takeBatches(g.buf);
      g.buf = buf;
      for (const b of batches)
        out.push({ deviceId: g.id, topic: topics.gatewayReadings.of(g.id), payload: b });
    }
  }
}

function forModel(colours: ReadonlyMap<string, MovementColour>): Map<string, 'green' | 'yellow' | 'red'> {
  const m = new Map<string, 'green' | 'yellow' | 'red'>();
  // The model knows no flashing yellow: drivers proceed with caution, as on yellow.
  for (const [id, c] of colours) m.set(id, c === 'flashingYellow' ? 'yellow' : c);
  return m;
}

function parsePlan(payload: Buffer | string): { plan: SignalPlan } | { error: string; planId: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(typeof payload === 'string' ? payload : payload.toString('utf8'));
  } catch {
    return { error: 'plan is not valid JSON', planId: 'unknown' };
  }
  const parsed = SignalPlanSchema.safeParse(raw);
  if (parsed.success) return { plan: parsed.data };
  const id = (raw as { planId?: unknown } | null)?.planId;
  const planId = typeof id === 'string' && id.length > 0 ? id.slice(0, 128) : 'unknown';
  const issue = parsed.error.issues[0];
  return {
    error: `plan does not match the schema: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`,
    planId,
  };
}

function pickCameraFault(rng: Rng, f: FaultRates): CameraFault {
  const r = rng();
  if (r < f.cameraStuck) return 'stuck';
  if (r < f.cameraStuck + f.cameraSilent) return 'silent';
  if (r < f.cameraStuck + f.cameraSilent + f.cameraMiscounting) return 'miscounting';
  return 'none';
}

function pickMeterAnomaly(rng: Rng, f: FaultRates, kind: MeterKind, t0: number): MeterAnomaly {
  const r = rng();
  // Anomalies begin some time into the run, so the dashboard sees the change happen.
  const fromMs = t0 + Math.floor(rng() * 2 * 3_600_000);
  if (kind === 'water' && r < f.meterLeak) return { kind: 'leak', fromMs, flowLph: 20 + rng() * 100 };
  if (r < f.meterLeak + f.meterStuck) return { kind: 'stuck', fromMs };
  if (r < f.meterLeak + f.meterStuck + f.meterOutage) {
    return { kind: 'outage', fromMs, untilMs: fromMs + Math.floor((0.5 + rng() * 3) * 3_600_000) };
  }
  return { kind: 'none' };
}
