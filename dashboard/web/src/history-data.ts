import type { HistoryResponse } from '../../shared/contract.ts';

export interface ChartData {
  /** x values in seconds (uPlot's time scale), then one array per field. */
  data: [number[], ...(number | null)[][]];
  fields: string[];
}

/**
 * Turns a history response into uPlot's column layout. Missing values stay gaps (null). `only`
 * keeps just those fields (in that order) when the response has them: a meter answers register,
 * flow and power, and a chart shows one unit.
 */
export function historyToChart(h: HistoryResponse, only?: readonly string[]): ChartData {
  const xs = h.points.map((p) => p.t / 1000);
  const fields = only ? only.filter((f) => h.fields.includes(f)) : h.fields;
  const columns = fields.map((f) => {
    const legend = h.legend?.[f];
    return h.points.map((p) => {
      const v = p[f];
      if (typeof v === 'number') return v;
      // A category sent by name: chart its index in the legend, as the server does.
      if (typeof v === 'string' && legend) return legend.indexOf(v) >= 0 ? legend.indexOf(v) : null;
      return null;
    });
  });
  return { data: [xs, ...columns], fields };
}

export type HistoryRange = 'hour' | 'day';

/** The window and resolution a history chart asks for: last hour at 30 s, last day at ~5 min. */
export function historyWindow(
  range: HistoryRange,
  nowMs: number,
): { from: number; to: number; points: number } {
  const spanMs = range === 'hour' ? 3_600_000 : 86_400_000;
  return { from: nowMs - spanMs, to: nowMs, points: range === 'hour' ? 120 : 288 };
}
