import {
  type Alert,
  type BuildingDetail,
  BuildingDetail as BuildingDetailSchema,
} from '../../shared/contract.ts';
import { api } from './api.ts';
import { h, replace } from './dom.ts';
import type { ChartMark } from './history-chart.ts';
import { HistorySection } from './history-section.ts';

const REFRESH_MS = 10_000;

const anomalyText = {
  leak: 'Possible leak',
  stuck: 'Register stuck',
  outage: 'No readings (outage)',
} as const;
const unit = { water: { value: 'm³', rate: 'L/h' }, electricity: { value: 'kWh', rate: 'W' } } as const;

/** Side panel for a building: its meters with latest values, anomaly flags and consumption charts. */
export class BuildingPanel {
  readonly el: HTMLElement;
  private readonly title = h('h2', { id: 'panel-title' }, '…');
  private readonly meters = h('tbody');
  private readonly charts = h('div', { class: 'charts' });
  private history: HistorySection | null = null;
  private readonly timer: ReturnType<typeof setInterval>;

  constructor(
    readonly id: string,
    private readonly alerts: () => Iterable<Alert>,
    onClose: () => void,
    private readonly clock: () => number = Date.now,
  ) {
    this.el = h(
      'aside',
      { class: 'panel', 'aria-labelledby': 'panel-title', 'data-building': id },
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
      h(
        'table',
        { class: 'meters' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', {}, 'Meter'),
            h('th', {}, 'Register'),
            h('th', {}, 'Rate'),
            h('th', {}, 'State'),
          ),
        ),
        this.meters,
      ),
      h('h3', {}, 'Consumption'),
      this.charts,
    );
    this.refresh(true);
    this.timer = setInterval(() => this.refresh(false), REFRESH_MS);
  }

  destroy(): void {
    clearInterval(this.timer);
    this.history?.destroy();
  }

  private refresh(first: boolean): void {
    api
      .get(`/api/buildings/${encodeURIComponent(this.id)}`, BuildingDetailSchema)
      .then((b) => this.render(b, first))
      .catch((err: unknown) => {
        replace(
          this.charts,
          h('p', { class: 'bad' }, err instanceof Error ? err.message : 'Cannot load this building'),
        );
      });
  }

  private render(b: BuildingDetail, first: boolean): void {
    this.title.textContent = `Building ${b.id} · ${b.use}`;
    replace(
      this.meters,
      b.meters.map((m) =>
        h(
          'tr',
          { class: m.anomaly ? `anomaly anomaly-${m.anomaly}` : '' },
          h('th', { scope: 'row' }, `${m.kind === 'water' ? 'Water' : 'Electricity'} ${m.id}`),
          h('td', {}, m.value === null ? '—' : `${m.value.toFixed(2)} ${unit[m.kind].value}`),
          h('td', {}, m.rate === null ? '—' : `${Math.round(m.rate)} ${unit[m.kind].rate}`),
          h('td', {}, m.anomaly ? anomalyText[m.anomaly] : 'OK'),
        ),
      ),
    );
    if (!first) return;
    this.history = new HistorySection(
      b.meters.map((m) => ({
        series: 'meter' as const,
        id: m.id,
        title: `${m.kind === 'water' ? 'Water' : 'Electricity'} ${m.id}${m.anomaly ? ` — ${anomalyText[m.anomaly]}` : ''}`,
        // Consumption is the rate (flow or power); the register is the fallback for meters that send no rate.
        unit: unit[m.kind].rate,
        fields: m.kind === 'water' ? ['flow', 'value'] : ['power', 'value'],
        labels: { flow: 'flow L/h', power: 'power W', value: `register ${unit[m.kind].value}` },
        // Shade the time the anomaly has lasted (from its alert), so it stands out on the curve.
        marks: (fromMs: number, toMs: number): ChartMark[] => {
          if (!m.anomaly) return [];
          const alert = [...this.alerts()].find((a) => a.entityId === m.id || a.entityId === b.id);
          const since = alert?.sinceMs ?? m.ts;
          return [{ fromMs: Math.max(fromMs, since), toMs, label: anomalyText[m.anomaly] }];
        },
      })),
      this.clock,
    );
    replace(this.charts, this.history.el);
    this.history.load();
    this.el.querySelector<HTMLElement>('.close')?.focus();
  }
}
