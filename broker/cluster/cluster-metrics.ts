import { AggregatorRegistry, Registry } from 'prom-client';
import type { MetricsJson } from './cluster-protocol.ts';

/**
 * What `/metrics` serves when the broker runs in several processes: the primary's own registry
 * (control loop, dashboard, its ingest for plans) and every worker's, merged by prom-client's
 * cluster aggregation (counters and most gauges summed; each metric may name its aggregator).
 * A Registry, so whoever serves metrics needs no second code path.
 */
export class ClusterMetricsRegistry extends Registry {
  readonly #primary: Registry;
  readonly #workers: () => Promise<MetricsJson[]>;

  constructor(primary: Registry, workers: () => Promise<MetricsJson[]>) {
    super();
    this.#primary = primary;
    this.#workers = workers;
  }

  override async metrics(): Promise<string> {
    const all = [await this.#primary.getMetricsAsJSON(), ...(await this.#workers())];
    return AggregatorRegistry.aggregate(all).metrics();
  }
}
