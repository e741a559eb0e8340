import { HistoryResponse, type HistorySeries } from '../../shared/contract.ts';
import { api, query } from './api.ts';
import { h } from './dom.ts';
import { type ChartMark, HistoryChart } from './history-chart.ts';
import { type ChartData, type HistoryRange, historyToChart, historyWindow } from './history-data.ts';

export interface ChartSpec {
  series: HistorySeries;
  id: string;
  title: string;
  unit: string;
  /** Fields to chart, in order of preference: the first one that has any value is drawn. */
  fields?: readonly string[];
  /** Legend names for fields (`v` → `vehicles`). */
  labels?: Readonly<Record<string, string>>;
  marks?: (fromMs: number, toMs: number) => ChartMark[];
}

/** A set of history charts with a last hour / last day switch, loaded from /api/history. */
export class HistorySection {
  readonly el: HTMLElement;
  private range: HistoryRange = 'hour';
  private readonly charts: { spec: ChartSpec; chart: HistoryChart }[];
  private readonly buttons: Record<HistoryRange, HTMLButtonElement>;

  constructor(
    specs: ChartSpec[],
    private readonly clock: () => number = Date.now,
  ) {
    this.charts = specs.map((spec) => ({ spec, chart: new HistoryChart(spec.title, spec.unit) }));
    this.buttons = {
      hour: h(
        'button',
        { type: 'button', 'aria-pressed': 'true', onclick: () => this.setRange('hour') },
        'Last hour',
      ),
      day: h(
        'button',
        { type: 'button', 'aria-pressed': 'false', onclick: () => this.setRange('day') },
        'Last day',
      ),
    };
    this.el = h(
      'section',
      { class: 'history', 'aria-label': 'History' },
      h(
        'div',
        { class: 'segmented', role: 'group', 'aria-label': 'History period' },
        this.buttons.hour,
        this.buttons.day,
      ),
      this.charts.map((c) => c.chart.el),
    );
  }

  setRange(range: HistoryRange): void {
    this.range = range;
    this.buttons.hour.setAttribute('aria-pressed', String(range === 'hour'));
    this.buttons.day.setAttribute('aria-pressed', String(range === 'day'));
    this.load();
  }

  load(): void {
    const { from, to, points } = historyWindow(this.range, this.clock());
    for (const { spec, chart } of this.charts) {
      api
        .get(`/api/history?${query({ series: spec.series, id: spec.id, from, to, points })}`, HistoryResponse)
        .then((res) =>
          chart.setData(pickChart(res, spec), { fromMs: from, toMs: to }, spec.marks?.(from, to) ?? []),
        )
        .catch((err: unknown) => chart.setError(err instanceof Error ? err.message : 'History unavailable'));
    }
  }

  destroy(): void {
    for (const c of this.charts) c.chart.destroy();
  }
}

function pickChart(res: HistoryResponse, spec: ChartSpec): ChartData {
  let chart = historyToChart(res);
  if (spec.fields) {
    const withData = spec.fields.find((f) => historyToChart(res, [f]).data[1]?.some((v) => v !== null));
    chart = historyToChart(res, [withData ?? spec.fields[0] ?? 'v']);
  }
  return { ...chart, fields: chart.fields.map((f) => spec.labels?.[f] ?? f) };
}
