import { performance } from 'node:perf_hooks';
import { LatencyHistogram, type LatencySummary } from '../lib/percentiles.ts';
import type { FleetTotals } from '../load/fleet.ts';
import type { FleetRun } from '../load/run-fleet.ts';

export interface WindowResult {
  /** Length of the measured window, s (after warm-up). */
  readonly seconds: number;
  readonly ackedPerSec: number;
  readonly readingsPerSec: number;
  readonly sentPerSec: number;
  /** Publish → PUBACK (QoS 1) or → written (QoS 0), ms, over the measured window. */
  readonly latency: LatencySummary;
  /** Totals at the end of the run, after the drain (warm-up included). */
  readonly totals: FleetTotals;
  /** Acked messages per second, one sample per second of the measured window. */
  readonly series: readonly number[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Publishes for `warmupS + seconds`, measuring rates and latency over the last `seconds` only
 * (connections are already open: the ramp is not part of the window), then stops and drains.
 */
export async function runWindow(
  fleet: FleetRun,
  opts: {
    warmupS: number;
    seconds: number;
    drainMs?: number;
    onSecond?: (t: FleetTotals) => Promise<void> | void;
    /** Called as the measured window opens and as it closes (before the drain). */
    onWindow?: (phase: 'start' | 'end') => Promise<void>;
  },
): Promise<WindowResult> {
  fleet.go();
  await sleep(opts.warmupS * 1000);
  await opts.onWindow?.('start');
  fleet.resetLatency();
  const before = await fleet.snapshot();
  const t0 = performance.now();
  const series: number[] = [];
  let prev = before;
  for (let s = 0; s < opts.seconds; s++) {
    await sleep(Math.max(0, t0 + (s + 1) * 1000 - performance.now()));
    const now = await fleet.snapshot();
    series.push(now.acked - prev.acked);
    prev = now;
    await opts.onSecond?.(now);
  }
  const after = prev;
  const seconds = (performance.now() - t0) / 1000;
  await opts.onWindow?.('end');
  const totals = await fleet.stop(opts.drainMs ?? 30_000);
  return {
    seconds,
    ackedPerSec: (after.acked - before.acked) / seconds,
    readingsPerSec: (after.readingsAcked - before.readingsAcked) / seconds,
    sentPerSec: (after.sent - before.sent) / seconds,
    latency: LatencyHistogram.from(after.latency).summary(),
    totals,
    series,
  };
}
