import type { CompiledNetwork } from './compile-network.ts';

/**
 * The model's mutable state as typed arrays, indexed like the compiled network: per link, lane
 * group, movement, approach slot (intersection × 4 + direction) and intersection.
 */
export function createModelArrays(c: CompiledNetwork) {
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
  return {
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
    nSlots,
    slotArr,
    slotDep,
    slotLastArr,
    slotArrStep,
    slotDepStep,
    slotSpeedStep,
    slotSpeedSum,
    slotQueue,
    slotOccStep,
    slotOccupied,
    slotSpeedKmh,
    manual,
    planIdx,
    shownKey,
    interDelay,
    interDep,
    interQueue,
    interMaxQueue,
  };
}

export type ModelArrays = ReturnType<typeof createModelArrays>;

/** Length of vehicle plus detection zone, m: how long a passing vehicle occupies the zone. */
const OCCUPANCY_LENGTH_M = 7;

/**
 * End-of-step bookkeeping: queues per approach and intersection, and what a stop-line detector
 * saw during the step. Returns the longest lane-group queue now.
 */
export function recordStepStatistics(c: CompiledNetwork, a: ModelArrays, dt: number): number {
  let longest = 0;
  a.slotQueue.fill(0);
  for (let m = 0; m < c.nMovements; m++) {
    const s = c.movSlot[m] ?? 0;
    a.slotQueue[s] = (a.slotQueue[s] ?? 0) + (a.movQueue[m] ?? 0);
  }
  a.interQueue.fill(0);
  for (let g = 0; g < c.nGroups; g++) {
    const q = a.qCount[g] ?? 0;
    if (q > longest) longest = q;
    const i = c.groupInter[g] ?? 0;
    a.interQueue[i] = (a.interQueue[i] ?? 0) + q;
  }
  for (let i = 0; i < c.nInter; i++) {
    if ((a.interQueue[i] ?? 0) > (a.interMaxQueue[i] ?? 0)) a.interMaxQueue[i] = a.interQueue[i] ?? 0;
  }
  for (let s = 0; s < a.nSlots; s++) {
    const speedMs = (a.slotSpeedKmh[s] ?? 0) / 3.6;
    const passing = speedMs > 0 ? ((a.slotArrStep[s] ?? 0) * OCCUPANCY_LENGTH_M) / speedMs : 0;
    const occ = (a.slotQueue[s] ?? 0) > 0 ? dt : Math.min(dt, passing);
    a.slotOccStep[s] = occ / dt;
    a.slotOccupied[s] = (a.slotOccupied[s] ?? 0) + occ;
  }
  return longest;
}
