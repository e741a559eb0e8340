import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { h } from './dom.ts';
import type { ChartData } from './history-data.ts';

/** A stretch of time to shade on a chart (an anomaly), ms epoch. */
export interface ChartMark {
  fromMs: number;
  toMs: number;
  label: string;
}

const palette = ['#4cc3ff', '#f5c518', '#2fbf71', '#ff7ab6', '#b18cff', '#f07f1d', '#9fb3c8', '#e5484d'];

/** A uPlot time-series chart sized to its container; anomaly marks shade their time span. */
export class HistoryChart {
  readonly el: HTMLElement;
  private plot: uPlot | null = null;
  private marks: ChartMark[] = [];
  private readonly body = h('div', { class: 'chart-body' });
  private readonly status = h('p', { class: 'chart-status muted' }, 'Loading…');

  constructor(
    readonly title: string,
    private readonly unit: string,
  ) {
    this.el = h('figure', { class: 'chart' }, h('figcaption', {}, title), this.status, this.body);
  }

  setError(message: string): void {
    this.status.textContent = message;
    this.status.hidden = false;
  }

  /** Draws `chart` over the whole asked window (a few points must not stretch into years). */
  setData(chart: ChartData, window: { fromMs: number; toMs: number }, marks: ChartMark[] = []): void {
    this.marks = marks;
    const points = chart.data[0].length;
    this.status.hidden = points > 0;
    this.status.textContent = points > 0 ? '' : 'No data in this period';
    this.plot?.destroy();
    const width = Math.max(260, this.el.clientWidth || 340);
    this.plot = new uPlot(
      {
        width,
        height: 160,
        scales: { x: { time: true, range: [window.fromMs / 1000, window.toMs / 1000] } },
        legend: { show: true, live: false },
        cursor: { drag: { x: false, y: false } },
        axes: [
          { stroke: '#9aa7b6', grid: { stroke: '#2a3441' }, ticks: { stroke: '#2a3441' } },
          {
            stroke: '#9aa7b6',
            grid: { stroke: '#2a3441' },
            ticks: { stroke: '#2a3441' },
            label: this.unit,
            size: 50,
          },
        ],
        series: [
          {},
          ...chart.fields.map((f, i) => ({
            label: f,
            stroke: palette[i % palette.length] ?? '#4cc3ff',
            width: 1.5,
            spanGaps: false,
          })),
        ],
        hooks: { drawClear: [(u: uPlot) => this.drawMarks(u)] },
      },
      chart.data as uPlot.AlignedData,
      this.body,
    );
    this.el.dataset.points = String(points);
  }

  destroy(): void {
    this.plot?.destroy();
    this.plot = null;
  }

  private drawMarks(u: uPlot): void {
    const ctx = u.ctx;
    for (const m of this.marks) {
      const x0 = u.valToPos(m.fromMs / 1000, 'x', true);
      const x1 = u.valToPos(m.toMs / 1000, 'x', true);
      const left = Math.max(u.bbox.left, Math.min(x0, x1));
      const right = Math.min(u.bbox.left + u.bbox.width, Math.max(x0, x1));
      if (right <= left) continue;
      ctx.save();
      ctx.fillStyle = 'rgba(255, 77, 109, 0.22)';
      ctx.fillRect(left, u.bbox.top, right - left, u.bbox.height);
      ctx.restore();
    }
  }
}
