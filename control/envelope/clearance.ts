import type { EnvelopeConfig } from './envelope-config.ts';
import type { IntersectionIndex } from './intersection-index.ts';

const G = 9.81;

/**
 * Yellow change interval by the ITE kinematic formula (ITE, "Guidelines for Determining Traffic
 * Signal Change and Clearance Intervals", 2020): Y = t + v / (2a + 2Gg), level grade, with v the
 * approach speed limit as a stand-in for the 85th-percentile speed. Clamped to the 3-6 s band.
 */
export function iteYellowS(speedKmh: number, cfg: EnvelopeConfig, grade = 0): number {
  const v = speedKmh / 3.6;
  const y = cfg.perceptionReactionS + v / (2 * cfg.decelerationMps2 + 2 * G * grade);
  return clamp(roundUp(y), cfg.yellowMinS, cfg.yellowMaxS);
}

/**
 * Red clearance by the ITE formula R = (W + L) / v: time for a vehicle that entered at the end of
 * yellow to clear the far side of the box. Clamped to the 1-3 s band.
 */
export function iteAllRedS(widthM: number, speedKmh: number, cfg: EnvelopeConfig): number {
  const v = Math.max(speedKmh, 10) / 3.6;
  return clamp(roundUp((widthM + cfg.vehicleLengthM) / v), cfg.allRedMinS, cfg.allRedMaxS);
}

/** Pedestrian clearance time: the crossing length at the design walking speed (MUTCD 2009 §4E.06). */
export function pedClearanceS(lengthM: number, cfg: EnvelopeConfig): number {
  return roundUp(lengthM / cfg.pedWalkSpeedMps);
}

/** What the rules demand of one phase, whatever timings a plan asks for. */
export interface PhaseRequirement {
  readonly yellowS: number;
  readonly allRedS: number;
  /** Vehicle minimum green: 7 s when a through movement is served, 5 s otherwise. */
  readonly minGreenS: number;
  /** Longest pedestrian crossing served, m (0 when none). */
  readonly pedLengthM: number;
}

export function phaseRequirement(
  movementIds: readonly string[],
  index: IntersectionIndex,
  widthM: number,
  cfg: EnvelopeConfig,
): PhaseRequirement {
  // Length-prefixed ids: no grouping can spell another's key, whatever characters ids hold.
  let key = `req:${widthM}`;
  for (const id of movementIds) key += `|${id.length}:${id}`;
  const hit = index.memo.get(key) as { cfg: EnvelopeConfig; req: PhaseRequirement } | undefined;
  if (hit && hit.cfg === cfg) return hit.req;
  const req = computeRequirement(movementIds, index, widthM, cfg);
  // Bounded: operators may send any grouping; a junction has only a handful of real phases.
  if (index.memo.size > 256) index.memo.clear();
  index.memo.set(key, { cfg, req });
  return req;
}

function computeRequirement(
  movementIds: readonly string[],
  index: IntersectionIndex,
  widthM: number,
  cfg: EnvelopeConfig,
): PhaseRequirement {
  let yellowS = cfg.yellowMinS;
  let allRedS = cfg.allRedMinS;
  let hasThrough = false;
  let pedLengthM = 0;
  for (const id of movementIds) {
    const m = index.movements.get(id);
    if (!m) continue;
    if (m.kind === 'vehicle') {
      yellowS = Math.max(yellowS, iteYellowS(m.speedKmh, cfg));
      allRedS = Math.max(allRedS, iteAllRedS(widthM, m.speedKmh, cfg));
      if (m.movement.turn === 'T') hasThrough = true;
    } else {
      pedLengthM = Math.max(pedLengthM, m.crossing.lengthM);
    }
  }
  return { yellowS, allRedS, minGreenS: hasThrough ? cfg.minGreenThroughS : cfg.minGreenOtherS, pedLengthM };
}

/**
 * Green a phase needs for its pedestrians: WALK plus the part of the clearance time that the
 * yellow + all-red buffer does not cover (MUTCD 2009 §4E.06: pedestrian change interval +
 * buffer interval >= pedestrian clearance time; buffer = yellow + red clearance).
 */
export function pedMinGreenS(
  pedLengthM: number,
  walkS: number,
  bufferS: number,
  cfg: EnvelopeConfig,
): number {
  if (pedLengthM <= 0) return 0;
  return roundUp(walkS + Math.max(0, pedClearanceS(pedLengthM, cfg) - bufferS));
}

export function clamp(x: number, lo: number, hi: number): number {
  return Math.min(Math.max(x, lo), hi);
}

/** Rounds up to 0.1 s: a requirement is never rounded in the unsafe direction. */
export function roundUp(x: number): number {
  return Math.ceil(x * 10 - 1e-9) / 10;
}

/** Rounds to 0.1 s (for requested values, which the rules then bound). */
export function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
