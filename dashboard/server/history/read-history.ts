import type { HistoryPoint, HistoryQuery, HistoryResponse } from '../../shared/contract.ts';
import { type HistoryPlan, planHistory } from './history-query.ts';
import { type InfluxSeries, type InfluxTarget, influxQuery } from './influx-query.ts';

/** Turns InfluxDB series into contract points: one per bucket, categories as legend indexes. */
export function toPoints(plan: HistoryPlan, series: readonly InfluxSeries[]): HistoryPoint[] {
  const byT = new Map<number, HistoryPoint>();
  for (const s of series) {
    for (const row of s.values) {
      const t = Number(row[0]);
      const point: HistoryPoint = byT.get(t) ?? { t };
      for (const field of plan.fields) {
        const col = s.columns.indexOf(field);
        const raw = col < 0 ? null : row[col];
        const legend = plan.legend?.[field];
        let v: number | null;
        if (raw === null || raw === undefined) v = null;
        else if (legend) v = legend.indexOf(String(raw)) >= 0 ? legend.indexOf(String(raw)) : null;
        else v = Number(raw);
        const prev = point[field];
        point[field] =
          plan.combine === 'sum-across-series' && typeof prev === 'number' && v !== null
            ? prev + v
            : (v ?? prev ?? null);
      }
      byT.set(t, point);
    }
  }
  return [...byT.values()].sort((a, b) => a.t - b.t);
}

export async function readHistory(target: InfluxTarget, q: HistoryQuery): Promise<HistoryResponse> {
  const plan = planHistory(q);
  const series = await influxQuery(target, plan.query);
  const out: HistoryResponse = {
    series: q.series,
    id: q.id,
    stepMs: plan.stepMs,
    fields: [...plan.fields],
    points: toPoints(plan, series),
  };
  if (plan.legend) out.legend = Object.fromEntries(Object.entries(plan.legend).map(([k, v]) => [k, [...v]]));
  return out;
}
