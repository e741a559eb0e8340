import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import * as parser from 'socket.io-parser';
import { parseTopic, topics } from '../../../protocol/index.ts';
import { generateNetwork } from '../../../simulators/index.ts';
import type { Bbox } from '../../shared/contract.ts';
import { applyMessage } from '../live/apply-message.ts';
import { FlushMemo } from '../live/flush-memo.ts';
import { LiveState } from '../live/live-state.ts';
import { ViewCatalog } from '../live/view-catalog.ts';
import { buildViewportIndex, filterViewport } from '../live/viewport-filter.ts';
import { preEncodedParser } from '../socket/pre-encoded-parser.ts';

/**
 * How much the dashboard's live state costs per message, against a baseline measured in the same
 * run: the validation every consumer must do anyway (topic parse, JSON.parse, zod). Rounds
 * alternate so machine noise hits both sides. Writes results/live-state.json.
 *
 *   flock /tmp/heavy.lock npx tsx dashboard/server/bench/live-state-bench.ts [intersections] [messages]
 */
const intersections = Number(process.argv[2] ?? 2000);
const messages = Math.min(Number(process.argv[3] ?? 100_000), 1_000_000);
const ROUNDS = 3;

const network = generateNetwork({ intersections, seed: 1 });
const t0 = Date.UTC(2026, 10, 30, 12);
const batch = Array.from({ length: messages }, (_, i) => {
  const cam = network.cameras[i % network.cameras.length];
  return {
    topic: topics.cameraCounts.of(cam?.id ?? 'x'),
    payload: Buffer.from(
      JSON.stringify({ ts: t0 + i, intervalS: 60, intensity: i % 40, queueLength: i % 9 }),
    ),
  };
});

function baseline(): number {
  const start = performance.now();
  for (const m of batch) {
    parseTopic(m.topic);
    topics.cameraCounts.schema.safeParse(JSON.parse(m.payload.toString('utf8')));
  }
  return messages / ((performance.now() - start) / 1000);
}

function full(live: LiveState): number {
  const start = performance.now();
  for (const m of batch) applyMessage(live, m.topic, m.payload, t0);
  return messages / ((performance.now() - start) / 1000);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const live = new LiveState(network);
const base: number[] = [];
const withState: number[] = [];
for (let r = 0; r < ROUNDS; r++) {
  base.push(baseline());
  withState.push(full(live));
}

const timeMs = (fn: () => void) => {
  const s = performance.now();
  fn();
  return performance.now() - s;
};
const tickMs = median([1, 2, 3].map((i) => timeMs(() => live.tick(t0 + i * 1000))));
const index = buildViewportIndex(network);
const cityViewport = { bbox: [-180, -90, 180, 90] as Bbox, zoom: 12 };
const city = filterViewport(index, cityViewport);
let snapshotBytes = 0;
const snapshotMs = timeMs(() => {
  snapshotBytes = JSON.stringify(live.snapshot(city, t0)).length;
});
const streetViewport = {
  bbox: [
    network.center[0] - 0.01,
    network.center[1] - 0.01,
    network.center[0] + 0.01,
    network.center[1] + 0.01,
  ] as Bbox,
  zoom: 16,
};
const street = filterViewport(index, streetViewport);
const since = live.seq;
for (const m of batch.slice(0, 2000)) applyMessage(live, m.topic, m.payload, t0 + 1);
const deltaCityMs = timeMs(() => live.changesSince(since, city, t0));
const deltaStreetMs = timeMs(() => live.changesSince(since, street, t0));

// One flush to 500 clients as the socket server does it (build each client's delta, encode it as
// socket.io does), right after an alert tick and between ticks. 450 whole-city viewers and 50
// street viewers, all brought up to the same seq: the fan-out bench's shape. `perClient` builds
// and encodes every client's delta on its own (the server before the flush memo), `shared` as the
// server does now: one build and serialisation per distinct (view, seq), shared through
// ViewCatalog and FlushMemo, written by the pre-encoded parser.
const CLIENTS = 500;
const FLUSH_ROUNDS = 5;
const catalog = new ViewCatalog();
const views = Array.from({ length: CLIENTS }, (_, i) =>
  catalog.acquire(i % 10 === 0 ? filterViewport(index, streetViewport) : filterViewport(index, cityViewport)),
);
const stockEncoder = new parser.Encoder();
const ourEncoder = new preEncodedParser.Encoder();
interface FlushCost {
  perClientMs: number;
  sharedMs: number;
  streetBytes: number;
}
function flushMs(sinceSeq: number, nowMs: number): FlushCost {
  let streetBytes = 0;
  const perClient = () =>
    timeMs(() => {
      views.forEach((ids, i) => {
        const delta = live.changesSince(sinceSeq, ids, nowMs);
        const packet = { type: parser.PacketType.EVENT, nsp: '/', id: i, data: ['delta', delta] };
        const [frame] = stockEncoder.encode(packet);
        if (i === 0) streetBytes = String(frame).length;
      });
    });
  const shared = () =>
    timeMs(() => {
      const memo = new FlushMemo(live, nowMs);
      views.forEach((ids, i) => {
        const delta = memo.delta(ids, sinceSeq);
        if (delta)
          ourEncoder.encode({ type: parser.PacketType.EVENT, nsp: '/', id: i, data: ['delta', delta] });
      });
    });
  // Alternating rounds, so machine noise hits both sides.
  const a: number[] = [];
  const b: number[] = [];
  for (let r = 0; r < FLUSH_ROUNDS; r++) {
    a.push(perClient());
    b.push(shared());
  }
  return { perClientMs: median(a), sharedMs: median(b), streetBytes };
}
const T1 = t0 + 10 * 60_000;
live.tick(T1);
const fanoutSince = live.seq;
for (const m of batch.slice(2000, 4000)) applyMessage(live, m.topic, m.payload, T1);
live.tick(T1 + 1000);
const afterTick = flushMs(fanoutSince, T1 + 1000);
const betweenSince = live.seq;
for (const m of batch.slice(4000, 6000)) applyMessage(live, m.topic, m.payload, T1 + 1000);
const betweenTicks = flushMs(betweenSince, T1 + 1000);

const flushFigures = (f: FlushCost) => ({
  perClientMs: Math.round(f.perClientMs * 10) / 10,
  sharedMs: Math.round(f.sharedMs * 10) / 10,
  perClientOverShared: Math.round(f.perClientMs / Math.max(f.sharedMs, 0.01)),
  streetDeltaBytes: f.streetBytes,
});

const result = {
  bench: 'dashboard-live-state',
  at: new Date().toISOString(),
  intersections,
  cameras: network.cameras.length,
  meters: network.buildings.reduce((s, b) => s + b.meters.length, 0),
  messages,
  rounds: ROUNDS,
  baselineMsgPerS: Math.round(median(base)),
  liveStateMsgPerS: Math.round(median(withState)),
  ratioLiveToBaseline: Math.round((median(withState) / median(base)) * 100) / 100,
  tickMs: Math.round(tickMs * 10) / 10,
  wholeCitySnapshot: { ms: Math.round(snapshotMs * 10) / 10, bytes: snapshotBytes },
  deltaAfter2000Messages: {
    wholeCityMs: Math.round(deltaCityMs * 100) / 100,
    streetViewMs: Math.round(deltaStreetMs * 100) / 100,
  },
  alerts: live.alerts().length,
  flush500Clients: {
    afterAlertTick: flushFigures(afterTick),
    betweenTicks: flushFigures(betweenTicks),
  },
};
const dir = join(fileURLToPath(new URL('.', import.meta.url)), 'results');
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, 'live-state.json'), `${JSON.stringify(result, null, 2)}\n`);
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
