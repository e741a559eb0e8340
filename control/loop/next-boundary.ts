/**
 * The first cycle start at or after `nowMs` of a plan with this cycle and offset (protocol: the
 * offset is the cycle start against the city clock, epoch seconds modulo the cycle).
 */
export function nextBoundaryMs(nowMs: number, cycleS: number, offsetS: number): number {
  const cycleMs = Math.round(cycleS * 1000);
  const offsetMs = Math.round(offsetS * 1000);
  const k = Math.ceil((nowMs - offsetMs) / cycleMs);
  return offsetMs + k * cycleMs;
}
