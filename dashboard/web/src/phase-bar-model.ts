import type { PlanPhase } from '../../../protocol/signal-plan.ts';
import type { SignalInterval } from '../../../protocol/signal-state.ts';

export interface PhaseSegment {
  phaseId: string;
  /** Start of the phase in the cycle and the length of each interval, as fractions of the cycle. */
  start: number;
  green: number;
  yellow: number;
  allRed: number;
}

export interface PhaseBarModel {
  cycleS: number;
  segments: PhaseSegment[];
  /** Where in the cycle the signal is now, 0..1 (null when the running phase is not in the plan). */
  cursor: number | null;
  /** Interval and seconds left in it, as far as the plan says. */
  interval: SignalInterval | null;
  remainingS: number | null;
}

/**
 * Lays a timing plan out as a bar (one segment per phase, split into green/yellow/all-red) and
 * puts the cursor where the running phase is `elapsedS` after its green began. The bar moves
 * because the caller passes a growing `elapsedS` (time is a parameter).
 */
export function phaseBarModel(
  phases: readonly Pick<PlanPhase, 'id' | 'greenS' | 'yellowS' | 'allRedS'>[],
  phaseId: string | null,
  elapsedS: number,
): PhaseBarModel {
  const cycleS = phases.reduce((s, p) => s + p.greenS + p.yellowS + p.allRedS, 0);
  if (cycleS <= 0) return { cycleS: 0, segments: [], cursor: null, interval: null, remainingS: null };
  let at = 0;
  let cursor: number | null = null;
  let interval: SignalInterval | null = null;
  let remainingS: number | null = null;
  const segments: PhaseSegment[] = [];
  for (const p of phases) {
    const lengthS = p.greenS + p.yellowS + p.allRedS;
    segments.push({
      phaseId: p.id,
      start: at / cycleS,
      green: p.greenS / cycleS,
      yellow: p.yellowS / cycleS,
      allRed: p.allRedS / cycleS,
    });
    if (p.id === phaseId) {
      // A controller may run a phase past its planned end (actuated extension, late state):
      // the cursor then waits at the phase's end rather than wandering into the next one.
      const e = Math.min(Math.max(elapsedS, 0), lengthS);
      cursor = (at + e) / cycleS;
      if (e < p.greenS) {
        interval = 'green';
        remainingS = p.greenS - e;
      } else if (e < p.greenS + p.yellowS) {
        interval = 'yellow';
        remainingS = p.greenS + p.yellowS - e;
      } else {
        interval = 'allRed';
        remainingS = lengthS - e;
      }
    }
    at += lengthS;
  }
  return { cycleS, segments, cursor, interval, remainingS };
}
