import type { SignalPlan } from '../../protocol/index.ts';
import { actuatedDecision } from '../controllers/actuated.ts';

export type Colour = 'green' | 'yellow' | 'red';
type Interval = 'green' | 'yellow' | 'allRed';

/** Detector input for actuated phases: seconds since the last vehicle call on the phase's approaches. */
export type CallAge = (movements: readonly string[]) => number;

/**
 * A signal controller for the evaluation: runs a plan phase by phase (green, yellow, all-red),
 * ends actuated greens on gap-out or max-out, and switches to the next plan only at the end of a
 * cycle, as a field controller does. Pure state machine, stepped with the model's time step.
 */
export class SignalRunner {
  private plan: SignalPlan;
  private next: SignalPlan | null = null;
  private phase = 0;
  private interval: Interval = 'green';
  private elapsed = 0;
  /** Set when a cycle has just ended: the caller offers the next plan then. */
  cycleEnded = false;

  /**
   * Starts `plan` where its offset puts it at `nowMs` (cycle start = offset against the city
   * clock), so stored plans keep the progression their offsets were tuned for.
   */
  constructor(plan: SignalPlan, nowMs?: number) {
    this.plan = plan;
    if (nowMs !== undefined) {
      let pos = (((nowMs / 1000 - plan.offsetS) % plan.cycleS) + plan.cycleS) % plan.cycleS;
      for (let i = 0; i < plan.phases.length; i++) {
        const p = plan.phases[i];
        if (!p) break;
        const len = p.greenS + p.yellowS + p.allRedS;
        if (pos < len) {
          this.phase = i;
          if (pos < p.greenS) this.interval = 'green';
          else if (pos < p.greenS + p.yellowS) {
            this.interval = 'yellow';
            pos -= p.greenS;
          } else {
            this.interval = 'allRed';
            pos -= p.greenS + p.yellowS;
          }
          this.elapsed = pos;
          break;
        }
        pos -= len;
      }
    }
  }

  get current(): SignalPlan {
    return this.plan;
  }

  /** The plan to run from the next cycle boundary. */
  offer(plan: SignalPlan): void {
    this.next = plan;
  }

  /** Seconds added to (or taken from) each phase's green this cycle, to reach the plan's offset. */
  private stretch: number[] = [];

  /**
   * Starts `plan` from its first phase now (call only at a cycle boundary, when `cycleEnded`).
   * When its offset puts the cycle start elsewhere, this cycle is shortened (late, by at most
   * 30 %, never below a phase's minimum green) or lengthened (early, by at most 50 %) towards it,
   * as a field controller's offset transition does; the next boundary finishes the job.
   */
  restart(plan: SignalPlan, nowMs?: number): void {
    this.plan = plan;
    this.next = null;
    this.phase = 0;
    this.interval = 'green';
    this.stretch = plan.phases.map(() => 0);
    if (nowMs === undefined) return;
    const pos = (((nowMs / 1000 - plan.offsetS) % plan.cycleS) + plan.cycleS) % plan.cycleS;
    if (pos < 0.5 || plan.cycleS - pos < 0.5) return;
    const late = pos < plan.cycleS / 2;
    const floor = (p: SignalPlan['phases'][number]) => Math.max(p.minGreenS ?? 0, Math.min(p.greenS, 7));
    const slack = plan.phases.map((p) => (late ? p.greenS - floor(p) : p.greenS));
    const total = slack.reduce((a, b) => a + b, 0);
    if (total <= 0) return;
    const want = late
      ? -Math.min(pos, plan.cycleS * 0.3, total)
      : Math.min(plan.cycleS - pos, plan.cycleS * 0.5);
    this.stretch = slack.map((s) => (want * s) / total);
  }

  /** Advances by `dtS` and returns the colours to show. */
  step(dtS: number, callAge: CallAge): ReadonlyMap<string, Colour> {
    this.cycleEnded = false;
    this.elapsed += dtS;
    for (let guard = 0; guard < 64; guard++) {
      const p = this.plan.phases[this.phase];
      if (!p) break;
      if (this.interval === 'green') {
        const actuated =
          this.plan.gapS !== undefined && p.minGreenS !== undefined && p.maxGreenS !== undefined;
        const end = actuated
          ? actuatedDecision({
              elapsedGreenS: this.elapsed,
              minGreenS: p.minGreenS ?? p.greenS,
              maxGreenS: p.maxGreenS ?? p.greenS,
              gapS: this.plan.gapS ?? 3,
              secondsSinceCall: callAge(p.movements),
            }) !== 'hold'
          : this.elapsed >= p.greenS + (this.stretch[this.phase] ?? 0);
        if (!end) break;
        this.elapsed -= actuated ? 0 : p.greenS + (this.stretch[this.phase] ?? 0);
        if (actuated) this.elapsed = 0;
        this.interval = 'yellow';
      } else if (this.interval === 'yellow') {
        if (this.elapsed < p.yellowS) break;
        this.elapsed -= p.yellowS;
        this.interval = 'allRed';
      } else {
        if (this.elapsed < p.allRedS) break;
        this.elapsed -= p.allRedS;
        this.interval = 'green';
        this.phase++;
        if (this.phase >= this.plan.phases.length) {
          this.phase = 0;
          this.cycleEnded = true;
          this.stretch = [];
          if (this.next) {
            this.plan = this.next;
            this.next = null;
          }
        }
      }
    }
    return this.colours();
  }

  colours(): ReadonlyMap<string, Colour> {
    const out = new Map<string, Colour>();
    const p = this.plan.phases[this.phase];
    if (!p || this.interval === 'allRed') return out;
    const c: Colour = this.interval === 'green' ? 'green' : 'yellow';
    for (const m of p.movements) out.set(m, c);
    return out;
  }
}
