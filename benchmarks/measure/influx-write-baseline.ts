import { performance } from 'node:perf_hooks';
import { cameraCounts } from '../load/payloads.ts';
import { createDatabase } from './influx.ts';

/**
 * Baseline: InfluxDB's own batched write rate, v1 `/write` with 5,000-line batches of the same
 * line shape ingest writes for camera counts, `concurrency` requests in flight. What the
 * platform's ingest could reach at most if it did nothing but write.
 */
export async function influxWriteBaseline(opts: {
  url: string;
  db: string;
  seconds: number;
  batchLines?: number;
  concurrency?: number;
  devices?: number;
}): Promise<{ pointsPerSec: number; batches: number; points: number; seconds: number; batchLines: number }> {
  const batchLines = opts.batchLines ?? 5000;
  const devices = opts.devices ?? 16_000;
  await createDatabase(opts.url, opts.db);
  const start = Date.now() - 3_600_000;
  let n = 0;
  const batch = (): string => {
    const lines: string[] = [];
    for (let k = 0; k < batchLines; k++, n++) {
      const cam = n % devices;
      const ts = start + Math.floor(n / devices);
      const c = cameraCounts(ts, n, 5);
      lines.push(
        `traffic_counts,approach=N,device=cam-B${cam},intersection=X${cam >> 2} averageVehicleSpeed=${c.averageVehicleSpeed},intensity=${c.intensity}i,intervalS=5,occupancy=${c.occupancy},queueLength=${c.queueLength}i ${ts}000000`,
      );
    }
    return lines.join('\n');
  };
  const t0 = performance.now();
  const end = t0 + opts.seconds * 1000;
  let batches = 0;
  const worker = async () => {
    while (performance.now() < end) {
      const res = await fetch(`${opts.url}/write?db=${opts.db}&precision=ns`, {
        method: 'POST',
        body: batch(),
      });
      if (res.status !== 204) throw new Error(`influx /write answered ${res.status}: ${await res.text()}`);
      batches++;
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency ?? 2 }, worker));
  const seconds = (performance.now() - t0) / 1000;
  return {
    pointsPerSec: (batches * batchLines) / seconds,
    batches,
    points: batches * batchLines,
    seconds,
    batchLines,
  };
}
