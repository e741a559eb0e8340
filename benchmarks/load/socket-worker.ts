import { io, type Socket } from 'socket.io-client';
import WebSocket from 'ws';
import { LatencyHistogram } from '../lib/percentiles.ts';
import { ackFrame, connectFrame, eventFrame, parseFrame, pongFrame } from './socket-frame.ts';
import type { FromSocketWorker, SocketWorkerPlan, ToSocketWorker } from './socket-protocol.ts';
import {
  emptyByClass,
  newSignalLatencies,
  rememberSignals,
  type SignalStamp,
  type SocketChildStats,
  type SocketCounters,
} from './socket-stats.ts';
import { type ViewClass, viewClasses } from './socket-viewports.ts';

/**
 * One child of the socket fleet: opens its share of dashboard clients, each with a session cookie
 * and a viewport, acks every event as the app does, and counts what arrives. Every
 * `decodeEvery`-th client is a full socket.io-client (the browser app's library and transport
 * order) that decodes every event and times new signal states; the others speak the same
 * protocol over a plain WebSocket and skip the JSON decoding (the server does the same work for
 * both; the decoding is client CPU that would otherwise starve the server on a shared machine).
 * Forked by `socket-fleet.ts`.
 */

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
const counters: Record<ViewClass, Mutable<SocketCounters>> = Object.fromEntries(
  viewClasses.map((c) => [c, { ...emptyByClass()[c] }]),
) as Record<ViewClass, Mutable<SocketCounters>>;
let latency = new LatencyHistogram();
let firstError: string | undefined;
let childIndex = 0;
const sockets: Socket[] = [];
const raws: WebSocket[] = [];
let exiting = false;
const send = (m: FromSocketWorker) => process.send?.(m);

function stats(): SocketChildStats {
  return {
    childIndex,
    byClass: {
      city: { ...counters.city },
      district: { ...counters.district },
      street: { ...counters.street },
    },
    latency: latency.toJSON(),
    ...(firstError ? { firstError } : {}),
  };
}

type Ack = (() => void) | undefined;
interface Items {
  readonly intersections?: readonly SignalStamp[];
}

/** A protocol-level client: engine.io/socket.io framing over `ws`, bodies counted, not decoded. */
function openRaw(plan: SocketWorkerPlan, k: number): void {
  const view = plan.views[k];
  if (!view) return;
  const c = counters[view.viewClass];
  c.clients += 1;
  const url = `${plan.url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`;
  const cookie = plan.cookies[k % plan.cookies.length] ?? '';
  let snapshots = 0;
  const connect = () => {
    const ws = new WebSocket(url, { headers: { cookie } });
    raws.push(ws);
    ws.on('message', (data: Buffer) => {
      c.bytes += data.length;
      const f = parseFrame(data.subarray(0, 64).toString('latin1'));
      if (f.kind === 'open') ws.send(connectFrame);
      else if (f.kind === 'ping') ws.send(pongFrame);
      else if (f.kind === 'connected') ws.send(eventFrame('viewport', view.viewport));
      else if (f.kind === 'connect_error') {
        c.connectErrors += 1;
        firstError ??= `connect_error: ${f.message}`;
      } else if (f.kind === 'event') {
        if (f.event === 'snapshot') {
          snapshots += 1;
          c.snapshots += 1;
          if (snapshots === 1) c.ready += 1;
          else c.resyncs += 1;
        } else if (f.event === 'delta') c.deltas += 1;
        if (f.ackId !== null) ws.send(ackFrame(f.ackId));
      }
    });
    ws.on('error', (err) => {
      c.connectErrors += 1;
      firstError ??= `websocket: ${err.message}`;
    });
    ws.on('close', () => {
      if (exiting) return;
      c.disconnects += 1;
      setTimeout(connect, 500);
    });
  };
  connect();
}

function open(plan: SocketWorkerPlan, k: number): void {
  const view = plan.views[k];
  if (!view) return;
  if (k % Math.max(1, plan.decodeEvery ?? 1) !== 0) {
    openRaw(plan, k);
    return;
  }
  const c = counters[view.viewClass];
  c.clients += 1;
  c.decoding += 1;
  const socket = io(plan.url, {
    path: '/socket.io',
    transports: ['websocket', 'polling'],
    extraHeaders: { cookie: plan.cookies[k % plan.cookies.length] ?? '' },
    forceNew: true,
    reconnectionDelay: 500,
    reconnectionDelayMax: 5000,
  });
  sockets.push(socket);
  const lastTs = new Map<string, number>();
  let snapshots = 0;
  socket.io.on('open', () => {
    socket.io.engine.on('data', (data: unknown) => {
      if (typeof data === 'string') c.bytes += Buffer.byteLength(data);
      else if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) c.bytes += data.byteLength;
    });
  });
  socket.on('connect', () => socket.emit('viewport', view.viewport));
  socket.on('connect_error', (err) => {
    c.connectErrors += 1;
    firstError ??= `connect_error: ${err.message}`;
  });
  socket.on('disconnect', () => {
    c.disconnects += 1;
  });
  socket.on('snapshot', (s: Items, ack: Ack) => {
    snapshots += 1;
    c.snapshots += 1;
    if (snapshots === 1) c.ready += 1;
    else c.resyncs += 1;
    rememberSignals(lastTs, s.intersections ?? []);
    ack?.();
  });
  socket.on('delta', (d: Items, ack: Ack) => {
    const now = Date.now();
    c.deltas += 1;
    const samples = newSignalLatencies(lastTs, d.intersections ?? [], now);
    c.signalChanges += samples.length;
    for (const ms of samples) latency.record(ms);
    ack?.();
  });
}

async function start(plan: SocketWorkerPlan): Promise<void> {
  childIndex = plan.childIndex;
  const t0 = Date.now();
  for (let k = 0; k < plan.views.length; k++) {
    const at = t0 + (k * 1000) / plan.rampPerSec;
    const wait = at - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    open(plan, k);
  }
}

const progress = setInterval(() => send({ type: 'progress', stats: stats() }), 1000);
process.on('message', (m: ToSocketWorker) => {
  if (m.cmd === 'start') void start(m.plan);
  else if (m.cmd === 'reset-latency') latency = new LatencyHistogram();
  else if (m.cmd === 'report') send({ type: 'report', stats: stats() });
  else if (m.cmd === 'exit') {
    exiting = true;
    clearInterval(progress);
    for (const s of sockets) s.close();
    for (const w of raws) w.terminate();
    setTimeout(() => process.exit(0), 100);
  }
});
process.on('disconnect', () => process.exit(0));
