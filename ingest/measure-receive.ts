import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import pino from 'pino';
import { Registry } from 'prom-client';
import { type SenderIdentity, topics } from '../protocol/index.ts';
import { startInfluxd } from '../scripts/lib/influxd.ts';
import { createIngest } from './create-ingest.ts';
import type { JournalSync } from './journal.ts';

/**
 * How many camera-count messages/s `receive()` sustains end to end into a real influxd on this
 * machine. Not a test: a measurement, run by hand under the heavy lock:
 *
 *   flock /tmp/heavy.lock npx tsx ingest/measure-receive.ts [seconds=10] [inFlight=500] [FULL|NORMAL]
 *
 * `inFlight` callers each await `receive()` and send the next message (like devices that each
 * keep QoS 1 messages in flight). Prints one JSON object: the acknowledge rate while loading,
 * the end-to-end rate (until the last point is in InfluxDB), and event-loop delay.
 */
const seconds = Number(process.argv[2] ?? 10);
const inFlight = Number(process.argv[3] ?? 500);
const synchronous = (process.argv[4] ?? 'FULL') as JournalSync;

const dir = mkdtempSync(join(tmpdir(), 'measure-ingest-'));
const influx = await startInfluxd({ dataDir: join(dir, 'influxdb'), db: 'city' });
const ingest = createIngest({
  journalPath: join(dir, 'spool.sqlite'),
  influx: { url: influx.url, api: 'v1', db: 'city' },
  metrics: new Registry(),
  logger: pino({ level: 'warn' }),
  synchronous,
});
ingest.start();

const cameras: SenderIdentity[] = Array.from({ length: inFlight }, (_, i) => ({
  id: `CAM-${i}`,
  role: 'device',
  deviceType: 'camera',
  intersectionId: `I-${Math.floor(i / 4)}`,
  approach: 'N',
  meterKind: null,
  gatewayMeters: null,
  rights: [],
}));

const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();
const start = Date.now();
const end = start + seconds * 1000;
let acked = 0;
let ts = start - 3_600_000;
await Promise.all(
  cameras.map(async (cam) => {
    const topic = topics.cameraCounts.of(cam.id);
    while (Date.now() < end) {
      ts++;
      const payload = Buffer.from(JSON.stringify({ ts, intervalS: 5, intensity: ts % 50, occupancy: 0.2 }));
      const outcome = await ingest.receive(cam, topic, payload);
      if (outcome !== 'stored') throw new Error(`unexpected ${outcome}`);
      acked++;
    }
  }),
);
const loadMs = Date.now() - start;
const depthAtEnd = ingest.status().spoolDepth;
const drainDeadline = Date.now() + 300_000;
while (ingest.status().spoolDepth > 0 && Date.now() < drainDeadline) await sleep(20);
const e2eMs = Date.now() - start;
loopDelay.disable();

const res = await fetch(
  `${influx.url}/query?${new URLSearchParams({ db: 'city', q: 'SELECT count(intensity) FROM traffic_counts' })}`,
);
const body = (await res.json()) as { results: Array<{ series?: Array<{ values: number[][] }> }> };
const stored = body.results[0]?.series?.[0]?.values[0]?.[1] ?? 0;

await ingest.stop();
await influx.stop();
rmSync(dir, { recursive: true, force: true });

console.log(
  JSON.stringify({
    synchronous,
    inFlight,
    seconds,
    acked,
    ackedPerS: Math.round((acked / loadMs) * 1000),
    spoolDepthAtEndOfLoad: depthAtEnd,
    storedInInflux: stored,
    endToEndPerS: Math.round((stored / e2eMs) * 1000),
    eventLoopDelayP99Ms: Math.round(loopDelay.percentile(99) / 1e6),
    eventLoopDelayMaxMs: Math.round(loopDelay.max / 1e6),
  }),
);
