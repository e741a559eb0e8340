import type { PlanPhase } from '../../../protocol/signal-plan.ts';
import { h, replace } from './dom.ts';
import { phaseBarModel } from './phase-bar-model.ts';

/**
 * The running plan as a bar: one block per phase (green, yellow, all-red parts) and a cursor that
 * moves with the clock. Geometry is set through the CSSOM (element.style), which the CSP allows.
 */
export class PhaseBar {
  readonly el = h('div', { class: 'phase-bar', role: 'img' });
  private readonly track = h('div', { class: 'phase-track' });
  private readonly cursor = h('div', { class: 'phase-cursor' });
  private readonly caption = h('p', { class: 'phase-caption' });
  private phases: readonly PlanPhase[] = [];

  constructor() {
    this.el.append(this.track, this.caption);
  }

  setPlan(phases: readonly PlanPhase[]): void {
    const same =
      phases.length === this.phases.length &&
      phases.every((p, i) => {
        const q = this.phases[i];
        return (
          q && q.id === p.id && q.greenS === p.greenS && q.yellowS === p.yellowS && q.allRedS === p.allRedS
        );
      });
    if (same) return;
    this.phases = phases;
    const model = phaseBarModel(phases, null, 0);
    const blocks = model.segments.flatMap((s) => {
      const parts: HTMLElement[] = [];
      for (const [part, frac] of [
        ['green', s.green],
        ['yellow', s.yellow],
        ['allRed', s.allRed],
      ] as const) {
        const block = h('div', { class: `phase-part ${part}`, title: `${s.phaseId} ${part}` });
        block.style.width = `${frac * 100}%`;
        if (part === 'green') block.append(h('span', { class: 'phase-label' }, s.phaseId));
        parts.push(block);
      }
      return parts;
    });
    replace(this.track, blocks, this.cursor);
  }

  /** Moves the cursor: `phaseId` is running and started `elapsedS` ago. */
  update(phaseId: string | null, elapsedS: number): void {
    const m = phaseBarModel(this.phases, phaseId, elapsedS);
    if (m.cursor === null) {
      this.cursor.hidden = true;
      this.caption.textContent = this.phases.length === 0 ? 'Plan not known yet' : `Phase ${phaseId ?? '—'}`;
      this.el.setAttribute('aria-label', this.caption.textContent);
      return;
    }
    this.cursor.hidden = false;
    this.cursor.style.left = `${m.cursor * 100}%`;
    const interval = m.interval === 'allRed' ? 'all-red' : m.interval;
    this.caption.textContent = `Phase ${phaseId} · ${interval} · ${Math.ceil(m.remainingS ?? 0)} s left · cycle ${Math.round(m.cycleS)} s`;
    this.el.setAttribute('aria-label', this.caption.textContent);
  }
}
