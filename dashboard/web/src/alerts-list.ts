import type { Alert } from '../../shared/contract.ts';
import { alertOrder } from './alert-order.ts';
import { h, replace } from './dom.ts';

const kindText: Record<Alert['kind'], string> = {
  congestion: 'Congestion',
  fallback: 'Control fallback',
  silent: 'Silent device',
  fault: 'Signal fault',
  leak: 'Leak',
  'reject-burst': 'Rejected messages',
};

/** The alert list: most severe first; activating an alert flies the map there. */
export class AlertsList {
  readonly el: HTMLElement;
  private readonly list = h('ul', { class: 'alerts', id: 'alerts' });
  private readonly count = h('span', { class: 'count' }, '0');

  constructor(
    private readonly onPick: (a: Alert) => void,
    private readonly clock: () => number = Date.now,
  ) {
    this.el = h(
      'section',
      { class: 'alerts-section', 'aria-labelledby': 'alerts-title' },
      h('h2', { id: 'alerts-title' }, 'Alerts ', this.count),
      this.list,
    );
  }

  render(alerts: Iterable<Alert>): void {
    const ordered = alertOrder(alerts);
    this.count.textContent = String(ordered.length);
    const now = this.clock();
    replace(
      this.list,
      ordered.length === 0 ? h('li', { class: 'muted empty' }, 'No alerts') : null,
      ordered.slice(0, 200).map((a) =>
        h(
          'li',
          {},
          h(
            'button',
            {
              type: 'button',
              class: `alert sev-${a.severity}`,
              'data-alert': a.id,
              onclick: () => this.onPick(a),
            },
            h('span', { class: 'alert-kind' }, kindText[a.kind]),
            h('span', { class: 'alert-msg' }, a.message),
            h('span', { class: 'alert-age muted' }, age(now - a.sinceMs)),
          ),
        ),
      ),
    );
  }
}

function age(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 90) return `${s} s`;
  if (s < 5400) return `${Math.round(s / 60)} min`;
  return `${Math.round(s / 3600)} h`;
}
