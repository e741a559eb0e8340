import type { Approach, CameraCounts, Intersection } from '../../protocol/index.ts';
import { createTrafficModel } from '../../simulators/index.ts';
import type { ControlConfig, ControllerKind } from '../core/control-config.ts';
import type { Decision } from '../core/decide-plan.ts';
import { applyCounts, type IntersectionState, newIntersectionState } from '../core/intersection-state.ts';
import { planTick } from '../core/plan-tick.ts';
import { EVALUATION_START_MS, type Scenario } from './scenarios.ts';
import { SignalRunner } from './signal-runner.ts';

export interface EvaluationRow {
  readonly scenario: string;
  readonly controller: ControllerKind;
  readonly seed: number;
  /** Delay per vehicle that arrived (left, still on the network, or waiting to enter), s. */
  readonly avgDelayS: number;
  readonly stopsPerVehicle: number;
  readonly maxQueueVeh: number;
  readonly throughputVehPerH: number;
  /** Delay per stop-line crossing (the HCM control delay of an average junction passage), s. */
  readonly delayPerJunctionS: number;
  /** Plans the envelope adjusted or refused during the run. */
  readonly plansAdjusted: number;
  readonly plansRefused: number;
}

const CAMERA_INTERVAL_S = 5;

/**
 * Runs one scenario with one controller, faster than real time and without MQTT: the traffic
 * model, emulated cameras (noise, failures) feeding the same estimators the loop uses, the same
 * decision + envelope path at every cycle boundary, and a signal runner executing the plans.
 */
export function runScenario(
  scenario: Scenario,
  controller: ControllerKind,
  seed: number,
  cfg: ControlConfig,
  onDecision?: (d: Decision, timeS: number) => void,
): EvaluationRow {
  const { network } = scenario;
  const model = createTrafficModel(network, { seed, startMs: EVALUATION_START_MS, demand: scenario.demand });
  const rand = mulberry32(seed * 7919 + 17);
  const states = new Map<string, IntersectionState>(
    network.intersections.map((i) => [i.id, newIntersectionState()]),
  );
  const runners = new Map<string, SignalRunner>();
  let adjusted = 0;
  let refused = 0;
  const take = (decisions: ReturnType<typeof planTick>) => {
    for (const d of decisions) {
      onDecision?.(d, model.timeS);
      if (d.adjustments.length > 0) adjusted++;
      if (!d.plan) {
        refused++;
        continue;
      }
      const r = runners.get(d.intersectionId);
      // Same cycle and offset (a stored plan again): keep running, the progression stays intact.
      if (r && (r.current.cycleS !== d.plan.cycleS || r.current.offsetS !== d.plan.offsetS))
        r.restart(d.plan, model.nowMs);
      else if (r) r.offer(d.plan);
      else runners.set(d.intersectionId, new SignalRunner(d.plan, model.nowMs));
    }
  };
  take(planTick({ network, states, controller, nowMs: model.nowMs, cfg }));

  // The network's cameras, or one per approach where a (hand-made) network lists none.
  const listed =
    network.cameras.length > 0
      ? network.cameras
      : network.intersections.flatMap((i) =>
          i.approaches.map((a) => ({ id: `CAM-${i.id}-${a.dir}`, intersectionId: i.id, approach: a.dir })),
        );
  const cameras = listed.map((c) => ({
    ...c,
    failed: rand() < scenario.failedCameraShare,
    lastDepartures: 0,
  }));
  const byId = new Map(network.intersections.map((i) => [i.id, i]));
  const movementApproach = new Map(
    network.intersections.map((i) => [i.id, new Map(i.movements.map((m) => [m.id, m.approach]))]),
  );

  const steps = Math.round(scenario.horizonS / model.stepS);
  for (let k = 0; k < steps; k++) {
    scenario.onStep?.(model);
    const ended: string[] = [];
    for (const intersection of network.intersections) {
      const runner = runners.get(intersection.id);
      if (!runner) continue;
      const colours = runner.step(model.stepS, (movements) =>
        callAge(model, intersection, movements, movementApproach),
      );
      model.setSignals(intersection.id, colours);
      if (runner.cycleEnded) ended.push(intersection.id);
    }
    model.step();
    if (Math.round(model.timeS) % CAMERA_INTERVAL_S === 0) {
      for (const cam of cameras) {
        const obs = model.observeApproach(cam.intersectionId, cam.approach);
        const crossed = obs.departures - cam.lastDepartures;
        cam.lastDepartures = obs.departures;
        if (cam.failed) continue;
        const noisy = Math.max(0, Math.round(crossed * (1 + scenario.cameraNoise * gaussian(rand))));
        const counts: CameraCounts = {
          ts: model.nowMs,
          intervalS: CAMERA_INTERVAL_S,
          intensity: noisy,
          queueLength: Math.round(obs.queueVeh),
        };
        const state = states.get(cam.intersectionId);
        const intersection = byId.get(cam.intersectionId);
        if (state && intersection) applyCounts(state, intersection, cam.approach as Approach, counts, cfg);
      }
    }
    if (ended.length > 0) {
      const due = new Set(ended);
      take(planTick({ network, states, controller, nowMs: model.nowMs, cfg, only: (i) => due.has(i.id) }));
    }
  }
  const m = model.metrics();
  const arrived = Math.max(1, m.entered + m.waitingToEnter);
  return {
    scenario: scenario.name,
    controller,
    seed,
    avgDelayS: round(m.totalDelayVehS / arrived, 2),
    stopsPerVehicle: round(m.stopsPerVehicle, 3),
    maxQueueVeh: m.maxQueueVeh,
    throughputVehPerH: round(m.throughputVehPerH, 1),
    delayPerJunctionS: round(m.totalDelayVehS / Math.max(1, m.departures), 2),
    plansAdjusted: adjusted,
    plansRefused: refused,
  };
}

/**
 * What an actuated phase's detectors report: 0 while a served movement has a queue it can
 * discharge, else the age of the last arrival on the served approaches.
 */
function callAge(
  model: ReturnType<typeof createTrafficModel>,
  intersection: Intersection,
  movements: readonly string[],
  movementApproach: Map<string, Map<string, Approach>>,
): number {
  const approaches = movementApproach.get(intersection.id);
  let age = Number.POSITIVE_INFINITY;
  for (const id of movements) {
    const a = approaches?.get(id);
    if (!a) continue;
    const mv = model.observeMovement(intersection.id, id);
    if (mv.queueVeh >= 1 && !mv.downstreamFull) return 0;
    age = Math.min(age, model.observeApproach(intersection.id, a).lastArrivalAgeS);
  }
  return age;
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** Small seeded PRNG (mulberry32): camera failures and noise are reproducible per seed. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gaussian(rand: () => number): number {
  const u = Math.max(rand(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}
