import { performance } from 'node:perf_hooks';
import mqtt, { type MqttClient } from 'mqtt';
import { topics } from '../../protocol/index.ts';
import { LatencyHistogram } from '../lib/percentiles.ts';
import {
  cameraCounts,
  fleetIds,
  gatewayBatch,
  type MeterSpec,
  meterKindOf,
  monotonicStamp,
  signalState,
} from './payloads.ts';
import { connectionsDue, dueDevices } from './schedule.ts';
import type {
  DeviceKind,
  FromWorker,
  ToWorker,
  WorkerDevice,
  WorkerGroup,
  WorkerPlan,
  WorkerStats,
} from './worker-protocol.ts';

/**
 * A load child: drives many mqtt.js device connections (up to ~15,000: the per-process limit is
 * 20,000 open files). Started by `run-fleet.ts` with child_process.fork; all control over IPC.
 */

interface Device {
  readonly spec: WorkerDevice;
  readonly group: WorkerGroup;
  readonly topic: string;
  readonly stamp: (now: number) => number;
  readonly meters: readonly MeterSpec[];
  client: MqttClient | null;
  seq: number;
  inflight: number;
  up: boolean;
}

const TICK_MS = 5;
const send = (m: FromWorker) => process.send?.(m);

let plan: WorkerPlan | null = null;
const groups: Device[][] = [];
let running = false;
let stopping = false;
let startedAt = 0;
let lastTick = 0;
let firstError: string | undefined;
let latency = new LatencyHistogram();
const c = {
  connected: 0,
  connectFailed: 0,
  closedUnexpectedly: 0,
  sent: 0,
  acked: 0,
  readingsAcked: 0,
  errors: 0,
  skipped: 0,
  inflight: 0,
};
const ackedByKind: Record<DeviceKind, number> = { signal: 0, camera: 0, gateway: 0 };

function stats(): WorkerStats {
  return {
    childIndex: plan?.childIndex ?? -1,
    ...c,
    ackedByKind: { ...ackedByKind },
    latency: latency.toJSON(),
    ...(firstError ? { firstError } : {}),
  };
}

function topicOf(d: WorkerDevice): string {
  switch (d.kind) {
    case 'signal':
      return topics.signalState.of(d.id);
    case 'camera':
      return topics.cameraCounts.of(d.id);
    case 'gateway':
      return topics.gatewayReadings.of(d.id);
  }
}

function payloadOf(d: Device, now: number): { body: string; readings: number } {
  const ts = d.stamp(now);
  const seq = d.seq++;
  switch (d.spec.kind) {
    case 'signal':
      return { body: JSON.stringify(signalState(d.spec.id, ts, seq)), readings: 1 };
    case 'camera':
      return { body: JSON.stringify(cameraCounts(ts, seq, d.group.intervalS ?? 5)), readings: 1 };
    case 'gateway': {
      const n = d.group.readingsPerBatch ?? 1;
      return { body: JSON.stringify(gatewayBatch(d.meters, ts, seq, n)), readings: n };
    }
  }
}

function noteError(e: unknown): void {
  c.errors++;
  firstError ??= e instanceof Error ? e.message : String(e);
}

function publish(d: Device, onAck?: () => void): void {
  const client = d.client;
  if (!client || !d.up) {
    c.skipped++;
    return;
  }
  const { body, readings } = payloadOf(d, Date.now());
  const t0 = performance.now();
  d.inflight++;
  c.inflight++;
  c.sent++;
  // mqtt.js calls back on PUBACK for QoS 1 and once the packet is written for QoS 0.
  client.publish(d.topic, body, { qos: d.group.qos }, (err) => {
    d.inflight--;
    c.inflight--;
    if (err) {
      noteError(err);
      return;
    }
    c.acked++;
    c.readingsAcked += readings;
    ackedByKind[d.spec.kind]++;
    latency.record(performance.now() - t0);
    if (onAck && running) onAck();
  });
}

function connectOne(d: Device, p: WorkerPlan): Promise<void> {
  return new Promise((resolve) => {
    const client = mqtt.connect(p.url, {
      clientId: d.spec.id,
      username: d.spec.id,
      password: d.spec.secret,
      protocolVersion: 4,
      clean: true,
      reconnectPeriod: 0,
      connectTimeout: 60_000,
      keepalive: p.keepaliveS ?? 60,
    });
    d.client = client;
    let settled = false;
    client.once('connect', () => {
      settled = true;
      d.up = true;
      c.connected++;
      resolve();
    });
    client.on('error', (e) => {
      if (!settled) {
        settled = true;
        c.connectFailed++;
        firstError ??= `connect ${d.spec.id}: ${e.message}`;
        client.end(true);
        resolve();
      }
    });
    client.on('close', () => {
      if (d.up) {
        d.up = false;
        c.connected--;
        if (!stopping) c.closedUnexpectedly++;
      }
      if (!settled) {
        settled = true;
        c.connectFailed++;
        firstError ??= `connect ${d.spec.id}: closed before CONNACK`;
        resolve();
      }
    });
  });
}

async function connectAll(p: WorkerPlan): Promise<void> {
  const all: Device[] = [];
  for (const g of p.groups) {
    const devs = g.devices.map(
      (spec): Device => ({
        spec,
        group: g,
        topic: topicOf(spec),
        stamp: monotonicStamp(),
        meters:
          spec.kind === 'gateway'
            ? Array.from({ length: g.metersPerGateway ?? 1 }, (_, j) => ({
                id: fleetIds.meter(spec.gatewayIndex ?? 0, j),
                kind: meterKindOf(j),
              }))
            : [],
        client: null,
        seq: 0,
        inflight: 0,
        up: false,
      }),
    );
    groups.push(devs);
    all.push(...devs);
  }
  // Open at the requested ramp: each timer tick starts the connections that are due by now.
  const t0 = performance.now();
  const pending: Promise<void>[] = [];
  let opened = 0;
  while (opened < all.length) {
    const due = connectionsDue(performance.now() - t0, p.rampPerSec, all.length);
    while (opened < due) pending.push(connectOne(all[opened++] as Device, p));
    if (opened < all.length) await new Promise((r) => setTimeout(r, 10));
  }
  await Promise.all(pending);
}

function tick(): void {
  if (!running || !plan) return;
  const now = performance.now();
  const from = lastTick - startedAt;
  const to = now - startedAt;
  lastTick = now;
  const maxInflight = plan.maxInflight ?? 1000;
  for (let gi = 0; gi < groups.length; gi++) {
    const devs = groups[gi] as Device[];
    const g = plan.groups[gi] as WorkerGroup;
    for (const i of dueDevices(devs.length, g.periodMs, from, to)) {
      const d = devs[i] as Device;
      if (d.inflight >= maxInflight) c.skipped++;
      else publish(d);
    }
  }
  setTimeout(tick, TICK_MS);
}

function go(): void {
  if (!plan) return;
  running = true;
  startedAt = performance.now();
  lastTick = startedAt - 1;
  if (plan.mode === 'schedule') tick();
  else if (plan.mode === 'closed') {
    const window = plan.window ?? 10;
    for (const devs of groups)
      for (const d of devs) {
        const loop = () => publish(d, loop);
        for (let k = 0; k < window; k++) loop();
      }
  }
}

async function stop(drainMs: number): Promise<void> {
  running = false;
  const deadline = performance.now() + drainMs;
  while (c.inflight > 0 && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  stopping = true;
  send({ type: 'stopped', stats: stats() });
}

async function exit(): Promise<void> {
  stopping = true;
  await Promise.all(
    groups.flat().map((d) => (d.client ? d.client.endAsync(true).catch(() => undefined) : undefined)),
  );
  process.exit(0);
}

let progressTimer: NodeJS.Timeout | null = null;

process.on('message', (m: ToWorker) => {
  switch (m.cmd) {
    case 'connect':
      plan = m.plan;
      progressTimer = setInterval(() => send({ type: 'progress', stats: stats() }), 1000);
      connectAll(m.plan).then(
        () => send({ type: 'connected', stats: stats() }),
        (e: unknown) => {
          noteError(e);
          send({ type: 'connected', stats: stats() });
        },
      );
      return;
    case 'go':
      go();
      return;
    case 'report':
      send({ type: 'report', stats: stats() });
      return;
    case 'reset-latency':
      latency = new LatencyHistogram();
      return;
    case 'stop':
      void stop(m.drainMs);
      return;
    case 'exit':
      if (progressTimer) clearInterval(progressTimer);
      void exit();
      return;
  }
});
// The parent going away ends the child: no orphaned load generators on a shared machine.
process.on('disconnect', () => process.exit(0));
