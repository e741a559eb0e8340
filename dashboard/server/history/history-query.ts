import { SignalMode } from '../../../protocol/signal-state.ts';
import { topics } from '../../../protocol/topics.ts';
import type { HistoryQuery, HistorySeries } from '../../shared/contract.ts';

/** An InfluxQL statement whose every input value travels as a bound parameter. */
export interface BoundQuery {
  readonly text: string;
  readonly params: Readonly<Record<string, string>>;
}

export interface HistoryPlan {
  readonly query: BoundQuery;
  readonly stepMs: number;
  readonly fields: readonly string[];
  /** How the series' values are turned into a point's fields. */
  readonly combine: 'sum-across-series' | 'single';
  readonly legend?: Readonly<Record<string, readonly string[]>>;
}

/** Smallest bucket: one second (counts and states come every few seconds at most). */
const MIN_STEP_MS = 1000;

/**
 * Bucket width for `points` buckets over [from, to), rounded up to whole seconds. It is computed
 * here from validated integers, so it is the one number written into the statement text: InfluxQL
 * cannot bind a GROUP BY duration.
 */
export function stepFor(fromMs: number, toMs: number, points: number): number {
  const raw = Math.max(1, toMs - fromMs) / Math.max(1, points);
  return Math.max(MIN_STEP_MS, Math.ceil(raw / 1000) * 1000);
}

const m = {
  counts: topics.cameraCounts.measurement,
  state: topics.signalState.measurement,
  meter: topics.meterReadings.measurement,
};

/**
 * The InfluxQL for one history request. Measurement and field names are ours (from the topic
 * map and ingest's line format); the id and the time range are bound parameters (`$id`, `$from`,
 * `$to`), which InfluxDB 1.6 substitutes as literals, so no input ever becomes statement text.
 */
export function planHistory(q: HistoryQuery): HistoryPlan {
  const stepMs = stepFor(q.from, q.to, q.points);
  const params = { id: q.id, from: new Date(q.from).toISOString(), to: new Date(q.to).toISOString() };
  const range = 'time >= $from AND time < $to';
  const group = `GROUP BY time(${stepMs}ms)`;
  const series: HistorySeries = q.series;
  switch (series) {
    case 'counts':
      // A camera id or an intersection id: the intersection tag sums its cameras.
      return {
        stepMs,
        fields: ['v'],
        combine: 'single',
        query: {
          text: `SELECT sum("intensity") AS "v" FROM "${m.counts}" WHERE ("device" = $id OR "intersection" = $id) AND ${range} ${group} fill(none)`,
          params,
        },
      };
    case 'queues':
      return {
        stepMs,
        fields: ['v'],
        combine: 'sum-across-series',
        query: {
          text: `SELECT mean("queueLength") AS "v" FROM "${m.counts}" WHERE ("device" = $id OR "intersection" = $id) AND ${range} ${group}, "device" fill(none)`,
          params,
        },
      };
    case 'modes':
      return {
        stepMs,
        fields: ['mode', 'faults'],
        combine: 'single',
        legend: { mode: SignalMode.options },
        query: {
          text: `SELECT last("mode") AS "mode", max("faultCount") AS "faults" FROM "${m.state}" WHERE "device" = $id AND ${range} ${group} fill(none)`,
          params,
        },
      };
    case 'meter':
      return {
        stepMs,
        fields: ['value', 'flow', 'power'],
        combine: 'single',
        query: {
          text: `SELECT last("value") AS "value", mean("flow") AS "flow", mean("power") AS "power" FROM "${m.meter}" WHERE "device" = $id AND ${range} ${group} fill(none)`,
          params,
        },
      };
    default: {
      const never: never = series;
      throw new Error(`unknown series ${String(never)}`);
    }
  }
}
