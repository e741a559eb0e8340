import type { Health } from '../../shared/contract.ts';
import { h, replace } from './dom.ts';
import type { Freshness } from './freshness.ts';

const statusText = { live: 'Live', lagging: 'Lagging', disconnected: 'Disconnected' } as const;

/** The strip in the header: feed status, ingest rate, rejects, spool and data age. */
export class HealthStrip {
  readonly el = h('div', { class: 'health', role: 'status', 'aria-live': 'polite', id: 'health' });

  render(f: Freshness, health: Health | null): void {
    const item = (label: string, value: string, cls = '') =>
      h('span', { class: `health-item ${cls}` }, h('span', { class: 'muted' }, label), ' ', value);
    this.el.dataset.status = f.status;
    replace(
      this.el,
      h('span', { class: `pill pill-${f.status}`, id: 'health-status' }, statusText[f.status]),
      health
        ? [
            item('ingest', `${fmt(health.ingestRatePerS)}/s`),
            item('rejects', `${fmt(health.rejectsPerS)}/s`, health.rejectsPerS > 0 ? 'warn' : ''),
            item('spool', fmt(health.spoolDepth), health.spoolDepth > 0 ? 'warn' : ''),
            item('silent devices', fmt(health.staleDevices), health.staleDevices > 0 ? 'warn' : ''),
            item('data age', health.dataAgeS === null ? '—' : `${Math.round(health.dataAgeS)} s`),
          ]
        : null,
    );
  }
}

function fmt(n: number): string {
  return n >= 10_000
    ? `${Math.round(n / 1000)}k`
    : n >= 100
      ? String(Math.round(n))
      : String(Math.round(n * 10) / 10);
}
