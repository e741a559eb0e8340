import { z } from 'zod';
import {
  type IntersectionDetail,
  IntersectionDetail as IntersectionDetailSchema,
  type LiveIntersection,
  type Me,
} from '../../shared/contract.ts';
import { ApiFailure, api } from './api.ts';
import { h, replace } from './dom.ts';
import { HistorySection } from './history-section.ts';
import { openOverrideDialog } from './override-dialog.ts';
import { PhaseBar } from './phase-bar.ts';

const REFRESH_MS = 5000;
const TICK_MS = 250;

const modeText: Record<string, string> = {
  adaptive: 'Adaptive',
  fixed: 'Fixed time',
  manual: 'Manual (operator)',
  flash: 'Flashing yellow',
  off: 'Off',
};

/**
 * Side panel for one intersection: live mode and why, the running plan as a moving phase bar,
 * per-approach counts and queues, history charts, and (for operators) the override controls.
 */
export class IntersectionPanel {
  readonly el: HTMLElement;
  private detail: IntersectionDetail | null = null;
  private readonly title = h('h2', { id: 'panel-title' }, '…');
  private readonly statusBox = h('dl', { class: 'facts' });
  private readonly why = h('p', { class: 'why' });
  private readonly bar = new PhaseBar();
  private readonly approaches = h('tbody');
  private readonly overrideBox = h('div', { class: 'override-box' });
  private readonly history: HistorySection;
  private phase: string | null = null;
  /** Client clock when the running phase began (estimated from the server's elapsed time). */
  private phaseStartMs = 0;
  private readonly timers: ReturnType<typeof setInterval>[] = [];

  constructor(
    readonly id: string,
    private readonly me: Me,
    onClose: () => void,
    private readonly clock: () => number = Date.now,
  ) {
    this.history = new HistorySection(
      [
        {
          series: 'counts',
          id,
          title: 'Vehicles counted (all approaches)',
          unit: 'veh',
          labels: { v: 'vehicles' },
        },
        {
          series: 'queues',
          id,
          title: 'Queued vehicles (all approaches)',
          unit: 'veh',
          labels: { v: 'queue' },
        },
      ],
      clock,
    );
    this.el = h(
      'aside',
      { class: 'panel', 'aria-labelledby': 'panel-title', 'data-intersection': id },
      h(
        'header',
        { class: 'panel-head' },
        this.title,
        h(
          'button',
          { type: 'button', class: 'close', 'aria-label': 'Close panel (Esc)', onclick: onClose },
          '×',
        ),
      ),
      this.statusBox,
      this.why,
      h('h3', {}, 'Running plan'),
      this.bar.el,
      h('h3', {}, 'Approaches'),
      h(
        'table',
        { class: 'approaches' },
        h(
          'thead',
          {},
          h('tr', {}, h('th', {}, 'From'), h('th', {}, 'Count'), h('th', {}, 'Queue'), h('th', {}, 'Age')),
        ),
        this.approaches,
      ),
      this.overrideBox,
      h('h3', {}, 'History'),
      this.history.el,
    );
    this.refresh();
    this.history.load();
    this.timers.push(setInterval(() => this.refresh(), REFRESH_MS));
    this.timers.push(setInterval(() => this.tick(), TICK_MS));
  }

  destroy(): void {
    for (const t of this.timers) clearInterval(t);
    this.history.destroy();
  }

  /** A live update for this intersection arrived over the socket. */
  live(item: LiveIntersection): void {
    if (item.phase !== this.phase && item.phase !== null) {
      this.phase = item.phase;
      // A state is sent on every phase change, so its timestamp is when the new phase began.
      this.phaseStartMs = Math.min(item.ts || this.clock(), this.clock());
    }
    if (this.detail) {
      const s = this.detail.status;
      this.detail = {
        ...this.detail,
        status: {
          ...s,
          mode: item.mode,
          source: item.source,
          planId: item.planId,
          phase: item.phase,
          interval: item.interval,
          faults: item.faults,
          fallbackReason: item.fallbackReason,
        },
      };
      this.renderStatus();
    }
  }

  private refresh(): void {
    api
      .get(`/api/intersections/${encodeURIComponent(this.id)}`, IntersectionDetailSchema)
      .then((d) => {
        const first = this.detail === null;
        this.detail = d;
        const st = d.status;
        if (st.phase !== null && st.phaseElapsedS !== null) {
          this.phase = st.phase;
          this.phaseStartMs = this.clock() - ((st.dataAgeS ?? 0) + st.phaseElapsedS) * 1000;
        }
        this.render(first);
      })
      .catch((err: unknown) => {
        this.why.textContent = err instanceof ApiFailure ? err.message : 'Cannot load this intersection';
      });
  }

  private tick(): void {
    this.bar.update(this.phase, (this.clock() - this.phaseStartMs) / 1000);
  }

  private render(first: boolean): void {
    const d = this.detail;
    if (!d) return;
    this.title.textContent = d.name;
    this.bar.setPlan(d.status.plan?.phases ?? []);
    this.tick();
    this.renderStatus();
    replace(
      this.approaches,
      d.live.map((a) =>
        h(
          'tr',
          {},
          h('th', { scope: 'row' }, a.dir),
          h('td', {}, a.intensity ?? '—'),
          h('td', {}, a.queueLength ?? '—'),
          h('td', {}, a.ts === null ? '—' : `${Math.max(0, Math.round((this.clock() - a.ts) / 1000))} s`),
        ),
      ),
    );
    this.renderOverride();
    if (first) this.el.querySelector<HTMLElement>('.close')?.focus();
  }

  private renderStatus(): void {
    const s = this.detail?.status;
    if (!s) return;
    const fact = (k: string, v: string, cls = '') => [h('dt', {}, k), h('dd', { class: cls }, v)];
    replace(
      this.statusBox,
      fact('Mode', s.mode ? (modeText[s.mode] ?? s.mode) : 'No signal data', `mode mode-${s.mode ?? 'none'}`),
      fact('Plan', `${s.planId ?? '—'}${s.source ? ` (${s.source})` : ''}`),
      fact(
        'Signal',
        s.interval === null ? '—' : s.interval === 'allRed' ? 'all-red' : s.interval,
        `interval-${s.interval ?? 'none'}`,
      ),
      fact('Data age', s.dataAgeS === null ? 'never heard from' : `${Math.round(s.dataAgeS)} s`),
      s.faults.length > 0 ? fact('Faults', s.faults.join(', '), 'bad') : null,
    );
    // The operator's first question when a signal is not adaptive: why?
    this.why.textContent = s.fallbackReason
      ? `Fell back: ${s.fallbackReason}`
      : s.mode === 'manual'
        ? 'Under operator override'
        : '';
    this.why.hidden = this.why.textContent === '';
  }

  private renderOverride(): void {
    const d = this.detail;
    if (!d) return;
    const canOverride = this.me.role === 'operator' || this.me.role === 'admin';
    const o = d.override;
    replace(
      this.overrideBox,
      o && o.status === 'active'
        ? h(
            'div',
            { class: 'override-active', role: 'status' },
            h(
              'strong',
              {},
              `Override by ${o.user}: ${o.kind}${o.planId ? ` ${o.planId}` : ''}${o.phaseId ? ` ${o.phaseId}` : ''}`,
            ),
            h('span', {}, ` until ${new Date(o.expiresAt).toLocaleTimeString()} — ${o.reason}`),
            canOverride
              ? h(
                  'button',
                  { type: 'button', class: 'danger', onclick: () => this.cancelOverride(o.id) },
                  'Cancel override',
                )
              : null,
          )
        : null,
      // Viewers never see override controls; the server refuses them anyway.
      canOverride
        ? h(
            'button',
            {
              type: 'button',
              class: 'primary',
              id: 'override-open',
              onclick: () => openOverrideDialog(d, () => this.refresh()),
            },
            'Override signal…',
          )
        : null,
    );
  }

  private cancelOverride(overrideId: string): void {
    api
      .del(`/api/overrides/${encodeURIComponent(overrideId)}`, z.unknown())
      .then(() => this.refresh())
      .catch((err: unknown) => {
        this.why.hidden = false;
        this.why.textContent = err instanceof Error ? `Cancel failed: ${err.message}` : 'Cancel failed';
      });
  }
}
