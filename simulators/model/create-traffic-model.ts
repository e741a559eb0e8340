import type { Approach, CityNetwork, Link } from '../../protocol/index.ts';
import { createRandom } from '../network/seeded-random.ts';
import { compileNetwork, DIR_INDEX } from './compile-network.ts';
import { type DemandClock, poisson, timeOfDayDemand } from './demand.ts';
import { activePlan, cycleSecondAt, localTime, type SignalColor } from './plan-signals.ts';
import type {
  ApproachObservation,
  IntersectionMetrics,
  MovementObservation,
  TrafficMetrics,
  TrafficModel,
  TrafficModelOptions,
} from './types.ts';

const RED = 0;
const YELLOW = 1;
const GREEN = 2;
const COLORS: readonly SignalColor[] = ['red', 'yellow', 'green'];
/** A vehicle held this long at a stop line has stopped (a shorter hold is a slow roll). */
const STOP_DELAY_S = 2;
/** Speed of a vehicle leaving a stop line it waited at, km/h. */
const START_SPEED_KMH = 15;
/** A permitted movement filters through gaps at this share of its saturation flow. */
const PERMITTED_SHARE = 0.3;
/** Length of vehicle plus detection zone, m: how long a passing vehicle occupies the zone. */
const OCCUPANCY_LENGTH_M = 7;

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

  // Vehicles: a pool of typed arrays; a vehicle is an index, chained through vNext in FIFOs.
  let cap = 1024;
  let vReady = new Float64Array(cap);
  let vDelay = new Float64Array(cap);
  let vMove = new Int32Array(cap);
  let vNext = new Int32Array(cap);
  let vStops = new Uint16Array(cap);
  let used = 0;
  let freeHead = -1;

  const linkHead = new Int32Array(c.nLinks).fill(-1);
  const linkTail = new Int32Array(c.nLinks).fill(-1);
  const linkCount = new Int32Array(c.nLinks);
  const blockedLanes = new Float64Array(c.nLinks);
  const blockedUntil = new Float64Array(c.nLinks);
  const backlog = new Int32Array(c.nLinks);

  const qHead = new Int32Array(c.nGroups).fill(-1);
  const qTail = new Int32Array(c.nGroups).fill(-1);
  const qCount = new Int32Array(c.nGroups);
  const credit = new Float64Array(c.nGroups);

  const movSignal = new Uint8Array(c.nMovements);
  const movGreenSince = new Float64Array(c.nMovements);
  const movQueue = new Int32Array(c.nMovements);
  const movArr = new Float64Array(c.nMovements);
  const movDep = new Float64Array(c.nMovements);

  const nSlots = c.nInter * 4;
  const slotArr = new Float64Array(nSlots);
  const slotDep = new Float64Array(nSlots);
  const slotLastArr = new Float64Array(nSlots).fill(Number.NEGATIVE_INFINITY);
  const slotArrStep = new Float64Array(nSlots);
  const slotDepStep = new Float64Array(nSlots);
  const slotSpeedStep = new Float64Array(nSlots);
  const slotSpeedSum = new Float64Array(nSlots);
  const slotQueue = new Int32Array(nSlots);
  const slotOccStep = new Float64Array(nSlots);
  const slotOccupied = new Float64Array(nSlots);
  const slotSpeedKmh = new Float64Array(nSlots);
  for (let l = 0; l < c.nLinks; l++) {
    const s = c.linkSlot[l] ?? -1;
    if (s >= 0) slotSpeedKmh[s] = c.linkSpeedKmh[l] ?? 0;
  }

  const manual = new Uint8Array(c.nInter);
  const planIdx = new Int32Array(c.nInter);
  /** Plan, phase and interval last shown by a stored-plan intersection (−1: recompute). */
  const shownKey = new Int32Array(c.nInter).fill(-1);
  const interDelay = new Float64Array(c.nInter);
  const interDep = new Float64Array(c.nInter);
  const interQueue = new Int32Array(c.nInter);
  const interMaxQueue = new Int32Array(c.nInter);

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

  function alloc(): number {
    if (freeHead >= 0) {
      const v = freeHead;
      freeHead = vNext[v] ?? -1;
      return v;
    }
    if (used === cap) {
      cap *= 2;
      const grow = <T extends Float64Array | Int32Array | Uint16Array>(a: T, make: (n: number) => T): T => {
        const b = make(cap);
        b.set(a);
        return b;
      };
      vReady = grow(vReady, (n) => new Float64Array(n));
      vDelay = grow(vDelay, (n) => new Float64Array(n));
      vMove = grow(vMove, (n) => new Int32Array(n));
      vNext = grow(vNext, (n) => new Int32Array(n));
      vStops = grow(vStops, (n) => new Uint16Array(n));
    }
    return used++;
  }

  function exitVehicle(v: number): void {
    exited++;
    exitedDelay += vDelay[v] ?? 0;
    exitedStops += vStops[v] ?? 0;
    vNext[v] = freeHead;
    freeHead = v;
  }

  /** The vehicle enters link l at time `at` and picks its movement at the far end. */
  function enterLink(v: number, l: number, at: number): void {
    vReady[v] = at + (c.linkFfS[l] ?? 0);
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
    vMove[v] = m;
    vNext[v] = -1;
    const tail = linkTail[l] ?? -1;
    if (tail >= 0) vNext[tail] = v;
    else linkHead[l] = v;
    linkTail[l] = v;
    linkCount[l] = (linkCount[l] ?? 0) + 1;
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

  function discharge(g: number, t: number, tEnd: number): void {
    if (qCount[g] === 0) {
      // An empty stop line lets the next vehicle through without waiting for capacity to build up.
      credit[g] = 1;
      return;
    }
    const m0 = vMove[qHead[g] ?? 0] ?? 0;
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
      const m = vMove[v] ?? 0;
      // The head vehicle blocks its lane group: red for its movement, or its out link full.
      if (m !== m0 && flowFactor(m, t, tEnd) <= 0) break;
      const out = c.movOut[m] ?? -1;
      const internal = out >= 0 && (c.linkTo[out] ?? -1) >= 0;
      if (internal && (linkCount[out] ?? 0) >= (c.linkStorage[out] ?? 0)) break;
      qHead[g] = vNext[v] ?? -1;
      if (qHead[g] === -1) qTail[g] = -1;
      qCount[g] = (qCount[g] ?? 0) - 1;
      cr -= 1;
      const ready = vReady[v] ?? t;
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
      vDelay[v] = (vDelay[v] ?? 0) + delay;
      interDelay[i] = (interDelay[i] ?? 0) + delay;
      interDep[i] = (interDep[i] ?? 0) + 1;
      departedDelay += delay;
      departures++;
      if (stopped) {
        vStops[v] = (vStops[v] ?? 0) + 1;
        totalStops++;
      }
      linkCount[inLink] = (linkCount[inLink] ?? 0) - 1;
      if (internal) {
        enterLink(v, out, depart);
        // Some trips end along this street: the vehicle leaves when it reaches the far end.
        if (tripEndShare > 0 && rand.next() < tripEndShare) vMove[v] = -1;
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
      while (v >= 0 && (vReady[v] ?? 0) <= tEnd) {
        const next = vNext[v] ?? -1;
        linkHead[l] = next;
        if (next < 0) linkTail[l] = -1;
        const m = vMove[v] ?? -1;
        if (m < 0) {
          // An approach without movements ends the trip here.
          linkCount[l] = (linkCount[l] ?? 0) - 1;
          exitVehicle(v);
        } else {
          const g = c.movGroup[m] ?? 0;
          vNext[v] = -1;
          const tail = qTail[g] ?? -1;
          if (tail >= 0) vNext[tail] = v;
          else qHead[g] = v;
          qTail[g] = v;
          qCount[g] = (qCount[g] ?? 0) + 1;
          movQueue[m] = (movQueue[m] ?? 0) + 1;
          movArr[m] = (movArr[m] ?? 0) + 1;
          const slot = c.movSlot[m] ?? 0;
          slotArr[slot] = (slotArr[slot] ?? 0) + 1;
          slotArrStep[slot] = (slotArrStep[slot] ?? 0) + 1;
          slotLastArr[slot] = Math.max(vReady[v] ?? t, t);
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
      let b = (backlog[e] ?? 0) + poisson((rate * dt) / 3600, rand);
      while (b > 0 && (linkCount[e] ?? 0) < (c.linkStorage[e] ?? 0)) {
        const v = alloc();
        vDelay[v] = 0;
        vStops[v] = 0;
        enterLink(v, e, t);
        entered++;
        b--;
      }
      backlog[e] = b;
      waiting += b;
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
        let b = (backlog[l] ?? 0) + poisson(((sourceRate[k] ?? 0) * dt) / 3600, rand);
        while (b > 0 && (linkCount[l] ?? 0) < (c.linkStorage[l] ?? 0)) {
          const v = alloc();
          vDelay[v] = 0;
          vStops[v] = 0;
          enterLink(v, l, t);
          entered++;
          b--;
        }
        backlog[l] = b;
        waiting += b;
      }
    }
    backlogVehS += waiting * dt;

    // 4. Queue statistics and what a stop-line detector saw during the step.
    slotQueue.fill(0);
    for (let m = 0; m < c.nMovements; m++) {
      const s = c.movSlot[m] ?? 0;
      slotQueue[s] = (slotQueue[s] ?? 0) + (movQueue[m] ?? 0);
    }
    interQueue.fill(0);
    for (let g = 0; g < c.nGroups; g++) {
      const q = qCount[g] ?? 0;
      if (q > maxQueue) maxQueue = q;
      const i = c.groupInter[g] ?? 0;
      interQueue[i] = (interQueue[i] ?? 0) + q;
    }
    for (let i = 0; i < c.nInter; i++) {
      if ((interQueue[i] ?? 0) > (interMaxQueue[i] ?? 0)) interMaxQueue[i] = interQueue[i] ?? 0;
    }
    for (let s = 0; s < nSlots; s++) {
      const speedMs = (slotSpeedKmh[s] ?? 0) / 3.6;
      const passing = speedMs > 0 ? ((slotArrStep[s] ?? 0) * OCCUPANCY_LENGTH_M) / speedMs : 0;
      const occ = (slotQueue[s] ?? 0) > 0 ? dt : Math.min(dt, passing);
      slotOccStep[s] = occ / dt;
      slotOccupied[s] = (slotOccupied[s] ?? 0) + occ;
    }
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
      for (let v = qHead[g] ?? -1; v >= 0; v = vNext[v] ?? -1)
        sum += Math.max(0, timeS - (vReady[v] ?? timeS));
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
    signalState(intersectionId) {
      const i = interOf(intersectionId);
      const out = new Map<string, SignalColor>();
      for (let m = c.movFirst[i] ?? 0; m < (c.movFirst[i + 1] ?? 0); m++) {
        out.set(c.movId[m] ?? '', COLORS[movSignal[m] ?? 0] ?? 'red');
      }
      return out;
    },
    observeApproach(intersectionId: string, approach: Approach): ApproachObservation {
      const i = interOf(intersectionId);
      const x = network.intersections[i];
      if (!x?.approaches.some((a) => a.dir === approach)) {
        throw new RangeError(`intersection ${intersectionId} has no approach ${approach}`);
      }
      const s = i * 4 + DIR_INDEX[approach];
      const queueVeh = slotQueue[s] ?? 0;
      const deps = slotDepStep[s] ?? 0;
      const free = slotSpeedKmh[s] ?? 0;
      return {
        arrivals: slotArr[s] ?? 0,
        departures: slotDep[s] ?? 0,
        queueVeh,
        occupancy: slotOccStep[s] ?? 0,
        meanSpeedKmh: deps > 0 ? (slotSpeedStep[s] ?? 0) / deps : queueVeh > 0 ? 0 : free,
        lastArrivalAgeS: timeS - (slotLastArr[s] ?? Number.NEGATIVE_INFINITY),
        occupiedS: slotOccupied[s] ?? 0,
        speedSumKmh: slotSpeedSum[s] ?? 0,
      };
    },
    observeMovement(intersectionId, movementId): MovementObservation {
      const m = c.movIndexByInter[interOf(intersectionId)]?.get(movementId);
      if (m === undefined)
        throw new RangeError(`intersection ${intersectionId} has no movement ${movementId}`);
      const out = c.movOut[m] ?? -1;
      return {
        queueVeh: movQueue[m] ?? 0,
        arrivals: movArr[m] ?? 0,
        departures: movDep[m] ?? 0,
        downstreamFull:
          out >= 0 && (c.linkTo[out] ?? -1) >= 0 && (linkCount[out] ?? 0) >= (c.linkStorage[out] ?? 0),
        signal: COLORS[movSignal[m] ?? 0] ?? 'red',
      };
    },
    blockLane(linkId, lanes, untilS) {
      const l = c.linkIndex.get(linkId);
      if (l === undefined) throw new RangeError(`unknown link "${linkId}"`);
      blockedLanes[l] = Math.max(0, lanes);
      blockedUntil[l] = untilS;
    },
    metrics(): TrafficMetrics {
      const perIntersection: IntersectionMetrics[] = c.interId.map((id, i) => ({
        id,
        delayVehS: interDelay[i] ?? 0,
        departures: interDep[i] ?? 0,
        queueVeh: interQueue[i] ?? 0,
        maxQueueVeh: interMaxQueue[i] ?? 0,
      }));
      return {
        timeS,
        entered,
        exited,
        onNetwork: linkCount.reduce((sum, n) => sum + n, 0),
        waitingToEnter: waiting,
        avgDelayS: exited > 0 ? exitedDelay / exited : 0,
        totalDelayVehS: departedDelay + queuedWaitVehS() + backlogVehS,
        stopsPerVehicle: exited > 0 ? exitedStops / exited : 0,
        totalStops,
        maxQueueVeh: maxQueue,
        throughputVehPerH: timeS > 0 ? (exited * 3600) / timeS : 0,
        departures,
        perIntersection,
      };
    },
  };
}
