import type { CityNetwork, Link } from '../../protocol/index.ts';
import { createRandom } from '../network/seeded-random.ts';
import { compileNetwork } from './compile-network.ts';
import { type DemandClock, poisson, timeOfDayDemand } from './demand.ts';
import { createModelArrays, recordStepStatistics } from './model-arrays.ts';
import { activePlan, cycleSecondAt, localTime } from './plan-signals.ts';
import { readApproach, readMetrics, readMovement, readSignals } from './read-model.ts';
import type { TrafficModel, TrafficModelOptions } from './types.ts';
import { VehiclePool } from './vehicle-pool.ts';

const RED = 0;
const YELLOW = 1;
const GREEN = 2;
/** A vehicle held this long at a stop line has stopped (a shorter hold is a slow roll). */
const STOP_DELAY_S = 2;
/** Speed of a vehicle leaving a stop line it waited at, km/h. */
const START_SPEED_KMH = 15;
/** After this long at the head of a queue behind a full street, a driver takes another movement. */
const REROUTE_AFTER_S = 60;
/** A permitted movement filters through gaps at this share of its saturation flow. */
const PERMITTED_SHARE = 0.3;

/**
 * A mesoscopic traffic model of `network` (see README.md): per link a free-flow travel-time
 * pipeline feeding stop-line queues per lane group, saturation-flow discharge during effective
 * green, spillback through link storage. Deterministic for a seed: no clock, no Math.random.
 */
export function createTrafficModel(network: CityNetwork, options: TrafficModelOptions): TrafficModel {
  const dt = options.stepS ?? 1;
  if (!(dt > 0 && dt <= 60)) throw new RangeError('stepS must be in (0, 60]');
  const demand = options.demand ?? timeOfDayDemand();
  const scale = options.demandScale ?? 1;
  const lostS = options.startupLostS ?? 2;
  const utcOffsetMin = options.utcOffsetMin ?? 180;
  const startMs = options.startMs;
  const c = compileNetwork(network, demand, options.saturationFlowVehPerHLane ?? 1800);
  const rand = createRandom(options.seed);
  const links: readonly Link[] = network.links;
  const tripEndShare = demand.tripEndShare ?? 0;
  /** Trip-start rates of internal links, veh/h, refreshed every minute of model time. */
  const sourceRate = new Float64Array(c.internalLinks.length);
  let sourceMinute = -1;

  const pool = new VehiclePool();

  const arrays = createModelArrays(c);
  const {
    linkHead,
    linkTail,
    linkCount,
    blockedLanes,
    blockedUntil,
    backlog,
    qHead,
    qTail,
    qCount,
    credit,
    movSignal,
    movGreenSince,
    movQueue,
    movArr,
    movDep,
    slotArr,
    slotDep,
    slotLastArr,
    slotArrStep,
    slotDepStep,
    slotSpeedStep,
    slotSpeedSum,
    manual,
    planIdx,
    shownKey,
    interDelay,
    interDep,
  } = arrays;

  let steps = 0;
  let timeS = 0;
  let lastMinute = -1;
  let entered = 0;
  let exited = 0;
  let exitedDelay = 0;
  let exitedStops = 0;
  let totalStops = 0;
  let departedDelay = 0;
  let backlogVehS = 0;
  let waiting = 0;
  let maxQueue = 0;
  let departures = 0;

  function exitVehicle(v: number): void {
    exited++;
    exitedDelay += pool.delay[v] ?? 0;
    exitedStops += pool.stops[v] ?? 0;
    pool.release(v);
  }

  /** The vehicle enters link l at time `at` and picks its movement at the far end. */
  function enterLink(v: number, l: number, at: number): void {
    pool.ready[v] = at + (c.linkFfS[l] ?? 0);
    const n = c.choiceCount[l] ?? 0;
    const first = c.choiceStart[l] ?? 0;
    let m = n === 0 ? -1 : (c.choiceMov[first] ?? -1);
    if (n > 1) {
      const r = rand.next();
      for (let k = 0; k < n; k++) {
        if (r < (c.choiceCum[first + k] ?? 1)) {
          m = c.choiceMov[first + k] ?? -1;
          break;
        }
      }
    }
    pool.move[v] = m;
    pool.next[v] = -1;
    const tail = linkTail[l] ?? -1;
    if (tail >= 0) pool.next[tail] = v;
    else linkHead[l] = v;
    linkTail[l] = v;
    linkCount[l] = (linkCount[l] ?? 0) + 1;
  }

  /** New trips onto link l; those that do not fit wait outside. Returns how many wait. */
  function admit(l: number, arriving: number, t: number): number {
    let b = (backlog[l] ?? 0) + arriving;
    while (b > 0 && (linkCount[l] ?? 0) < (c.linkStorage[l] ?? 0)) {
      const v = pool.alloc();
      enterLink(v, l, t);
      entered++;
      b--;
    }
    backlog[l] = b;
    return b;
  }

  function setColor(m: number, color: number, t: number): void {
    if (color === GREEN && movSignal[m] !== GREEN) movGreenSince[m] = t;
    movSignal[m] = color;
  }

  /** Share of saturation flow movement m may use this step (0: it may not move). */
  function flowFactor(m: number, t: number, tEnd: number): number {
    const s = movSignal[m];
    if (s === RED) return 0;
    let f = 1;
    if (s === GREEN) {
      // Effective green starts after the start-up lost time; yellow is used in full.
      const e = tEnd - (movGreenSince[m] ?? 0) - lostS;
      if (e <= 0) return 0;
      if (e < dt) f = e / dt;
    }
    const l = c.movInLink[m] ?? -1;
    if (l >= 0 && (blockedUntil[l] ?? 0) > t) {
      const lanes = c.linkLanes[l] ?? 1;
      f *= Math.max(0, lanes - (blockedLanes[l] ?? 0)) / lanes;
    }
    const y0 = c.yieldStart[m] ?? 0;
    const y1 = y0 + (c.yieldCount[m] ?? 0);
    for (let k = y0; k < y1; k++) {
      const o = c.yieldTo[k] ?? 0;
      if (movSignal[o] !== RED && (movQueue[o] ?? 0) > 0) {
        f *= PERMITTED_SHARE;
        break;
      }
    }
    return f;
  }

  function storedSignals(wallMs: number, t: number): void {
    const { minute } = localTime(wallMs, utcOffsetMin);
    const whole = Math.floor(minute);
    if (whole !== lastMinute) {
      lastMinute = whole;
      network.intersections.forEach((x, i) => {
        planIdx[i] = Math.max(0, x.plans.indexOf(activePlan(x, wallMs, utcOffsetMin)));
      });
    }
    for (let i = 0; i < c.nInter; i++) {
      if (manual[i]) continue;
      const plan = c.plans[i]?.[planIdx[i] ?? 0];
      if (!plan) continue;
      const cs = cycleSecondAt(plan, wallMs);
      const n = plan.masks.length;
      let k = 0;
      while (k < n - 1 && cs >= (plan.phaseEnd[k] ?? 0)) k++;
      const interval = cs < (plan.greenEnd[k] ?? 0) ? GREEN : cs < (plan.yellowEnd[k] ?? 0) ? YELLOW : RED;
      // Colours change only when the phase or interval does: most steps skip the movements.
      const key = ((planIdx[i] ?? 0) * 64 + k) * 4 + interval;
      if (shownKey[i] === key) continue;
      shownKey[i] = key;
      const mask = plan.masks[k] ?? 0;
      const next = plan.masks[(k + 1) % n] ?? 0;
      const first = c.movFirst[i] ?? 0;
      const last = c.movFirst[i + 1] ?? 0;
      for (let m = first; m < last; m++) {
        const bit = 1 << (m - first);
        const inPhase = (mask & bit) !== 0;
        // A movement the next phase serves too stays green across the change.
        const color = !inPhase ? RED : interval === GREEN || (next & bit) !== 0 ? GREEN : interval;
        setColor(m, color, t);
      }
    }
  }

  /** Another movement of lane group g that may go now and whose out link has room, or −1. */
  function detour(g: number, m: number, t: number, tEnd: number): number {
    const i = c.movInter[m] ?? 0;
    for (let alt = c.movFirst[i] ?? 0; alt < (c.movFirst[i + 1] ?? 0); alt++) {
      if (alt === m || c.movGroup[alt] !== g || flowFactor(alt, t, tEnd) <= 0) continue;
      const out = c.movOut[alt] ?? -1;
      if (out < 0 || (c.linkTo[out] ?? -1) < 0 || (linkCount[out] ?? 0) < (c.linkStorage[out] ?? 0))
        return alt;
    }
    return -1;
  }

  function discharge(g: number, t: number, tEnd: number): void {
    if (qCount[g] === 0) {
      // An empty stop line lets the next vehicle through without waiting for capacity to build up.
      credit[g] = 1;
      return;
    }
    const m0 = pool.move[qHead[g] ?? 0] ?? 0;
    const f0 = flowFactor(m0, t, tEnd);
    if (f0 <= 0) {
      credit[g] = 0;
      return;
    }
    const rate = (c.groupLanes[g] ?? 1) * (c.groupSatPerLaneS[g] ?? 0.5) * f0;
    const headway = 1 / rate;
    let cr = (credit[g] ?? 0) + rate * dt;
    let k = 0;
    while ((qCount[g] ?? 0) > 0 && cr >= 1) {
      const v = qHead[g] ?? 0;
      const m = pool.move[v] ?? 0;
      // The head vehicle blocks its lane group: red for its movement, or its out link full.
      if (m !== m0 && flowFactor(m, t, tEnd) <= 0) break;
      const out = c.movOut[m] ?? -1;
      const internal = out >= 0 && (c.linkTo[out] ?? -1) >= 0;
      if (internal && (linkCount[out] ?? 0) >= (c.linkStorage[out] ?? 0)) {
        // Drivers held a while by a full street take another way out of the same lanes: this is
        // what keeps an over-saturated grid from locking up for good.
        const alt = t - (pool.ready[v] ?? t) >= REROUTE_AFTER_S ? detour(g, m, t, tEnd) : -1;
        if (alt < 0) break;
        movQueue[m] = (movQueue[m] ?? 0) - 1;
        movArr[m] = (movArr[m] ?? 0) - 1;
        movQueue[alt] = (movQueue[alt] ?? 0) + 1;
        movArr[alt] = (movArr[alt] ?? 0) + 1;
        pool.move[v] = alt;
        continue;
      }
      qHead[g] = pool.next[v] ?? -1;
      if (qHead[g] === -1) qTail[g] = -1;
      qCount[g] = (qCount[g] ?? 0) - 1;
      cr -= 1;
      const ready = pool.ready[v] ?? t;
      const depart = Math.min(tEnd, Math.max(ready, t + k * headway));
      k++;
      const delay = Math.max(0, depart - ready);
      const slot = c.movSlot[m] ?? 0;
      const i = c.movInter[m] ?? 0;
      const inLink = c.movInLink[m] ?? 0;
      movQueue[m] = (movQueue[m] ?? 0) - 1;
      movDep[m] = (movDep[m] ?? 0) + 1;
      slotDep[slot] = (slotDep[slot] ?? 0) + 1;
      slotDepStep[slot] = (slotDepStep[slot] ?? 0) + 1;
      const stopped = delay >= STOP_DELAY_S;
      const speed = stopped ? START_SPEED_KMH : (c.linkSpeedKmh[inLink] ?? 0);
      slotSpeedStep[slot] = (slotSpeedStep[slot] ?? 0) + speed;
      slotSpeedSum[slot] = (slotSpeedSum[slot] ?? 0) + speed;
      pool.delay[v] = (pool.delay[v] ?? 0) + delay;
      interDelay[i] = (interDelay[i] ?? 0) + delay;
      interDep[i] = (interDep[i] ?? 0) + 1;
      departedDelay += delay;
      departures++;
      if (stopped) {
        pool.stops[v] = (pool.stops[v] ?? 0) + 1;
        totalStops++;
      }
      linkCount[inLink] = (linkCount[inLink] ?? 0) - 1;
      if (internal) {
        enterLink(v, out, depart);
        // Some trips end along this street: the vehicle leaves when it reaches the far end.
        if (tripEndShare > 0 && rand.next() < tripEndShare) pool.move[v] = -1;
      } else exitVehicle(v);
    }
    credit[g] = Math.min(cr, 1);
  }

  function clockAt(t: number, wallMs: number): DemandClock {
    const { minute, weekday } = localTime(wallMs, utcOffsetMin);
    return { timeS: t, wallMs, localMinute: minute, weekday };
  }

  function step(): void {
    const t = timeS;
    const tEnd = t + dt;
    const wallMs = startMs + t * 1000;
    storedSignals(wallMs, t);
    slotArrStep.fill(0);
    slotDepStep.fill(0);
    slotSpeedStep.fill(0);

    // 1. Vehicles that reach the stop line during this step join their lane group's queue.
    for (let l = 0; l < c.nLinks; l++) {
      let v = linkHead[l] ?? -1;
      while (v >= 0 && (pool.ready[v] ?? 0) <= tEnd) {
        const next = pool.next[v] ?? -1;
        linkHead[l] = next;
        if (next < 0) linkTail[l] = -1;
        const m = pool.move[v] ?? -1;
        if (m < 0) {
          // An approach without movements ends the trip here.
          linkCount[l] = (linkCount[l] ?? 0) - 1;
          exitVehicle(v);
        } else {
          const g = c.movGroup[m] ?? 0;
          pool.next[v] = -1;
          const tail = qTail[g] ?? -1;
          if (tail >= 0) pool.next[tail] = v;
          else qHead[g] = v;
          qTail[g] = v;
          qCount[g] = (qCount[g] ?? 0) + 1;
          movQueue[m] = (movQueue[m] ?? 0) + 1;
          movArr[m] = (movArr[m] ?? 0) + 1;
          const slot = c.movSlot[m] ?? 0;
          slotArr[slot] = (slotArr[slot] ?? 0) + 1;
          slotArrStep[slot] = (slotArrStep[slot] ?? 0) + 1;
          slotLastArr[slot] = Math.max(pool.ready[v] ?? t, t);
        }
        v = next;
      }
    }

    // 2. Stop lines discharge.
    for (let g = 0; g < c.nGroups; g++) discharge(g, t, tEnd);

    // 3. Poisson arrivals at the entry links; a full entry link keeps them waiting outside.
    const clock = clockAt(t, wallMs);
    waiting = 0;
    for (let k = 0; k < c.entryLinks.length; k++) {
      const e = c.entryLinks[k] ?? 0;
      const rate = Math.max(0, demand.entryVehPerH(links[e] as Link, clock) * scale);
      waiting += admit(e, poisson((rate * dt) / 3600, rand), t);
    }
    if (demand.sourceVehPerH) {
      const minute = Math.floor(t / 60);
      if (minute !== sourceMinute) {
        sourceMinute = minute;
        for (let k = 0; k < c.internalLinks.length; k++) {
          const l = c.internalLinks[k] ?? 0;
          sourceRate[k] = Math.max(0, demand.sourceVehPerH(links[l] as Link, clock) * scale);
        }
      }
      for (let k = 0; k < c.internalLinks.length; k++) {
        const l = c.internalLinks[k] ?? 0;
        waiting += admit(l, poisson(((sourceRate[k] ?? 0) * dt) / 3600, rand), t);
      }
    }
    backlogVehS += waiting * dt;

    // 4. Queue statistics and what a stop-line detector saw during the step.
    maxQueue = Math.max(maxQueue, recordStepStatistics(c, arrays, dt));
    steps++;
    timeS = steps * dt;
  }

  function interOf(id: string): number {
    const i = c.interIndex.get(id);
    if (i === undefined) throw new RangeError(`unknown intersection "${id}"`);
    return i;
  }

  function queuedWaitVehS(): number {
    let sum = 0;
    for (let g = 0; g < c.nGroups; g++) {
      for (let v = qHead[g] ?? -1; v >= 0; v = pool.next[v] ?? -1)
        sum += Math.max(0, timeS - (pool.ready[v] ?? timeS));
    }
    return sum;
  }

  return {
    get timeS() {
      return timeS;
    },
    get nowMs() {
      return startMs + timeS * 1000;
    },
    stepS: dt,
    step,
    setSignals(intersectionId, state) {
      const i = interOf(intersectionId);
      manual[i] = 1;
      const first = c.movFirst[i] ?? 0;
      const last = c.movFirst[i + 1] ?? 0;
      for (let m = first; m < last; m++) {
        const color = state.get(c.movId[m] ?? '') ?? 'red';
        setColor(m, color === 'green' ? GREEN : color === 'yellow' ? YELLOW : RED, timeS);
      }
    },
    releaseSignals(intersectionId) {
      const i = interOf(intersectionId);
      manual[i] = 0;
      shownKey[i] = -1;
    },
    signalState: (intersectionId) => readSignals(c, arrays, interOf(intersectionId)),
    observeApproach: (intersectionId, approach) =>
      readApproach(c, arrays, interOf(intersectionId), approach, timeS),
    observeMovement(intersectionId, movementId) {
      const m = c.movIndexByInter[interOf(intersectionId)]?.get(movementId);
      if (m === undefined)
        throw new RangeError(`intersection ${intersectionId} has no movement ${movementId}`);
      return readMovement(c, arrays, m);
    },
    blockLane(linkId, lanes, untilS) {
      const l = c.linkIndex.get(linkId);
      if (l === undefined) throw new RangeError(`unknown link "${linkId}"`);
      blockedLanes[l] = Math.max(0, lanes);
      blockedUntil[l] = untilS;
    },
    metrics: () =>
      readMetrics(c, arrays, {
        timeS,
        entered,
        exited,
        exitedDelay,
        exitedStops,
        totalStops,
        waiting,
        maxQueue,
        departures,
        delayVehS: departedDelay + queuedWaitVehS() + backlogVehS,
      }),
  };
}
