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
 *   flock /tmp/heavy.lock npx tsx ingest/measure-receive.ts [seconds=10] [inFlight=500] [FULL|NORMAL] [rate|-] [thread|inline]
 *
 * Without `rate` (closed loop, the capacity): `inFlight` callers each await `receive()` and send
 * the next message, like devices that each keep a QoS 1 message in flight. With `rate` (open
 * loop, a realistic load): that many messages per second from `inFlight` cameras, every 10 ms,
 * whether or not earlier ones were acknowledged. Prints one JSON object: acknowledged rate,
 * end-to-end rate (until InfluxQL counts every point), acknowledge latency (what a device waits
 * for its PUBACK) and event-loop delay.
 */
const seconds = Number(process.argv[2] ?? 10);
const inFlight = Number(process.argv[3] ?? 500);
const synchronous = (process.argv[4] ?? 'FULL') as JournalSync;
const rate = process.argv[5] === undefined || process.argv[5] === '-' ? null : Number(process.argv[5]);
const spoolThread = process.argv[6] !== 'inline';

const dir = mkdtempSync(join(tmpdir(), 'measure-ingest-'));
const influx = await startInfluxd({ dataDir: join(dir, 'influxdb'), db: 'city' });
const ingest = createIngest({
  journalPath: join(dir, 'spool.sqlite'),
  influx: { url: influx.url, api: 'v1', db: 'city' },
  metrics: new Registry(),
  logger: pino({ level: 'warn' }),
  synchronous,
  spoolThread,
});
ingest.start();
await ingest.ready();

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
const ackLatencyMs: number[] = [];

async function send(cam: SenderIdentity): Promise<void> {
  ts++;
  const payload = Buffer.from(JSON.stringify({ ts, intervalS: 5, intensity: ts % 50, occupancy: 0.2 }));
  const t = performance.now();
  const outcome = await ingest.receive(cam, topics.cameraCounts.of(cam.id), payload);
  if (outcome !== 'stored') throw new Error(`unexpected ${outcome}`);
  ackLatencyMs.push(performance.now() - t);
  acked++;
}

if (rate === null) {
  await Promise.all(
    cameras.map(async (cam) => {
      while (Date.now() < end) await send(cam);
    }),
  );
} else {
  const pending: Promise<void>[] = [];
  let sent = 0;
  let next = 0;
  while (Date.now() < end) {
    const due = Math.floor(((Date.now() - start) / 1000) * rate);
    for (; sent < due; sent++) pending.push(send(cameras[next++ % cameras.length] as SenderIdentity));
    await sleep(10);
  }
  await Promise.all(pending);
}
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

ackLatencyMs.sort((a, b) => a - b);
const pct = (p: number) =>
  Math.round((ackLatencyMs[Math.floor((ackLatencyMs.length - 1) * p)] ?? 0) * 10) / 10;
console.log(
  JSON.stringify({
    synchronous,
    spool: spoolThread ? 'thread' : 'inline',
    mode: rate === null ? 'closed-loop' : `open-loop ${rate}/s`,
    inFlight,
    seconds,
    acked,
    ackedPerS: Math.round((acked / loadMs) * 1000),
    spoolDepthAtEndOfLoad: depthAtEnd,
    storedInInflux: stored,
    endToEndPerS: Math.round((stored / e2eMs) * 1000),
    ackLatencyMs: { p50: pct(0.5), p99: pct(0.99), max: pct(1) },
    eventLoopDelayP99Ms: Math.round(loopDelay.percentile(99) / 1e6),
    eventLoopDelayMaxMs: Math.round(loopDelay.max / 1e6),
  }),
);
