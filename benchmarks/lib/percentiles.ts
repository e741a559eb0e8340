/**
 * Latency statistics. Load children record every sample into a `LatencyHistogram` (bounded memory
 * whatever the message count, mergeable across processes over IPC); `percentile` computes exact
 * values for small sample arrays and is the reference the histogram is tested against.
 */

/** Nearest-rank percentile of `sorted` (ascending): the smallest value with at least p % of samples at or below it. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  if (p <= 0) return sorted[0] as number;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(rank, sorted.length) - 1] as number;
}

export interface LatencySummary {
  readonly count: number;
  readonly min: number;
  readonly mean: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
}

/** Exact summary of raw samples (any order). */
export function summarize(samples: readonly number[]): LatencySummary {
  const sorted = [...samples].sort((a, b) => a - b);
  const sum = sorted.reduce((s, v) => s + v, 0);
  return {
    count: sorted.length,
    min: sorted.length ? (sorted[0] as number) : Number.NaN,
    mean: sorted.length ? sum / sorted.length : Number.NaN,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.length ? (sorted[sorted.length - 1] as number) : Number.NaN,
  };
}

/** Relative width of a histogram bucket: reported percentiles are within 1 % of the exact value. */
const GROWTH = 1.01;
const LOG_GROWTH = Math.log(GROWTH);
/** Values below this (ms) share bucket 0: a microsecond is below what the clock can resolve here. */
const FLOOR = 0.001;

/** Plain-object form of a histogram, for IPC and JSON. */
export interface HistogramData {
  readonly buckets: Record<string, number>;
  readonly count: number;
  readonly sum: number;
  readonly min: number;
  readonly max: number;
}

/** Log-bucketed histogram of positive values (ms): constant memory, mergeable, ≤ 1 % error. */
export class LatencyHistogram {
  private readonly buckets = new Map<number, number>();
  count = 0;
  sum = 0;
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;

  record(value: number): void {
    const idx = value <= FLOOR ? 0 : Math.ceil(Math.log(value / FLOOR) / LOG_GROWTH);
    this.buckets.set(idx, (this.buckets.get(idx) ?? 0) + 1);
    this.count++;
    this.sum += value;
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
  }

  merge(other: HistogramData): void {
    for (const [k, n] of Object.entries(other.buckets)) {
      const idx = Number(k);
      this.buckets.set(idx, (this.buckets.get(idx) ?? 0) + n);
    }
    this.count += other.count;
    this.sum += other.sum;
    if (other.count > 0) {
      this.min = Math.min(this.min, other.min);
      this.max = Math.max(this.max, other.max);
    }
  }

  /** Nearest-rank percentile; returns the bucket's upper bound, clamped to the observed min/max. */
  percentile(p: number): number {
    if (this.count === 0) return Number.NaN;
    const rank = Math.max(1, Math.ceil((p / 100) * this.count));
    let seen = 0;
    for (const idx of [...this.buckets.keys()].sort((a, b) => a - b)) {
      seen += this.buckets.get(idx) as number;
      if (seen >= rank) {
        const upper = idx === 0 ? FLOOR : FLOOR * GROWTH ** idx;
        return Math.min(Math.max(upper, this.min), this.max);
      }
    }
    return this.max;
  }

  summary(): LatencySummary {
    return {
      count: this.count,
      min: this.count ? this.min : Number.NaN,
      mean: this.count ? this.sum / this.count : Number.NaN,
      p50: this.percentile(50),
      p95: this.percentile(95),
      p99: this.percentile(99),
      max: this.count ? this.max : Number.NaN,
    };
  }

  toJSON(): HistogramData {
    return {
      buckets: Object.fromEntries(this.buckets),
      count: this.count,
      sum: this.sum,
      min: this.min,
      max: this.max,
    };
  }

  static from(data: HistogramData): LatencyHistogram {
    const h = new LatencyHistogram();
    h.merge(data);
    return h;
  }
}
