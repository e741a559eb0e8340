import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pino from 'pino';
import { Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { topics } from '../protocol/index.ts';
import { createIngest, type Ingest } from './create-ingest.ts';
import { influxQuery, startTestInflux, type TestInflux } from './test-influx.ts';
import { camera, controlService, gateway, meter, signal } from './test-senders.ts';

const NOW = 1_780_000_000_000;
const json = (v: unknown) => Buffer.from(JSON.stringify(v));
let influx: TestInflux;
let ingest: Ingest;
let metrics: Registry;

beforeEach(async () => {
  influx = await startTestInflux('city');
  metrics = new Registry();
  ingest = createIngest({
    journalPath: join(influx.dir, 'spool.sqlite'),
    influx: { url: influx.server.url, api: 'v1', db: 'city' },
    metrics,
    logger: pino({ level: 'silent' }),
    now: () => NOW,
    minRetryMs: 20,
    maxRetryMs: 300,
  });
  ingest.start();
});
afterEach(async () => {
  await ingest.stop();
  await influx.close();
});

async function drained(timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (ingest.status().spoolDepth > 0) {
    if (Date.now() > deadline) throw new Error('spool did not drain');
    await sleep(20);
  }
}

const q = (s: string) => influxQuery(influx.server.url, 'city', s);

describe('createIngest (receive → spool → real influxd)', () => {
  it('stores every topic kind and answers `stored`, `ignored` for status', async () => {
    const c = camera('CAM-1', 'I-0001');
    expect(
      await ingest.receive(c, topics.cameraCounts.of('CAM-1'), json({ ts: NOW, intervalS: 5, intensity: 4 })),
    ).toBe('stored');
    const s = signal('SIG-1', 'I-0001');
    const state = { ts: NOW, planId: 'AM', phase: 'P1', phaseElapsedS: 3, mode: 'fixed', faults: [] };
    expect(await ingest.receive(s, topics.signalState.of('I-0001'), json(state))).toBe('stored');
    const plan = {
      ts: NOW,
      planId: 'p',
      source: 'adaptive',
      cycleS: 38,
      offsetS: 0,
      phases: [{ id: 'P1', movements: ['NT'], greenS: 32, yellowS: 4, allRedS: 2 }],
    };
    expect(await ingest.receive(controlService(), topics.signalPlan.of('I-0001'), json(plan))).toBe('stored');
    const m = meter('M-1', 'water');
    expect(
      await ingest.receive(m, topics.meterReadings.of('M-1'), json({ ts: NOW, kind: 'water', value: 1 })),
    ).toBe('stored');
    const gw = gateway('GW-1', { 'M-2': 'electricity' });
    const batch = [
      { meterId: 'M-2', ts: NOW, kind: 'electricity', value: 5 },
      { meterId: 'M-2', ts: NOW + 1000, kind: 'electricity', value: 6 },
    ];
    expect(await ingest.receive(gw, topics.gatewayReadings.of('GW-1'), json(batch))).toBe('stored');
    expect(await ingest.receive(c, topics.deviceStatus.of('CAM-1'), json({ status: 'online' }))).toBe(
      'ignored',
    );
    await drained();

    expect(await q('SELECT intensity, intersection FROM traffic_counts')).toEqual([
      { time: NOW, intensity: 4, intersection: 'I-0001' },
    ]);
    expect(await q('SELECT phase FROM signal_state')).toEqual([{ time: NOW, phase: 'P1' }]);
    expect(await q('SELECT planId, sender FROM signal_plan')).toEqual([
      { time: NOW, planId: 'p', sender: 'control' },
    ]);
    expect(await q('SELECT value, gateway FROM meter_readings GROUP BY device')).toEqual([
      { device: 'M-1', time: NOW, value: 1, gateway: null },
      { device: 'M-2', time: NOW, value: 5, gateway: 'GW-1' },
      { device: 'M-2', time: NOW + 1000, value: 6, gateway: 'GW-1' },
    ]);
  });

  it('records refusals in ingest_rejects, counts them, and keeps accepting valid data', async () => {
    const c = camera('CAM-1');
    const t = topics.cameraCounts.of('CAM-1');
    expect(await ingest.receive(c, t, Buffer.from('{not json'))).toBe('rejected');
    expect(await ingest.receive(c, t, Buffer.from('{not json either'))).toBe('rejected');
    expect(await ingest.receive(c, t, json({ ts: NOW, intervalS: 5, intensity: -1 }))).toBe('rejected');
    expect(
      await ingest.receive(c, topics.cameraCounts.of('CAM-2'), json({ ts: NOW, intervalS: 5, intensity: 1 })),
    ).toBe('rejected');
    expect(await ingest.receive(c, t, json({ ts: NOW, intervalS: 5, intensity: 1 }))).toBe('stored');
    await drained();

    // Two refusals in the same millisecond (the clock is fixed) are two points.
    const rejects = await q(`SELECT count(sample) FROM ingest_rejects GROUP BY reason`);
    expect(rejects).toEqual([
      { reason: 'payload_invalid_json', time: 0, count: 2 },
      { reason: 'topic_device_mismatch', time: 0, count: 1 },
      { reason: 'value_out_of_range', time: 0, count: 1 },
    ]);
    const bad = await q(`SELECT sample, topic FROM ingest_rejects WHERE reason='payload_invalid_json'`);
    expect(bad.map((r) => r.sample)).toEqual(['{not json', '{not json either']);
    expect(await q('SELECT count(intensity) FROM traffic_counts')).toEqual([{ time: 0, count: 1 }]);

    const text = await metrics.metrics();
    expect(text).toContain('ingest_messages_rejected_total{reason="payload_invalid_json"} 2');
    expect(text).toContain('ingest_messages_rejected_total{reason="value_out_of_range"} 1');
    expect(text).toContain('ingest_messages_rejected_total{reason="topic_device_mismatch"} 1');
    expect(text).toContain('ingest_messages_accepted_total{kind="cameraCounts"} 1');
    expect(text).toContain('ingest_points_written_total 5');
    expect(text).toContain('ingest_influx_up 1');
    expect(text).toContain('ingest_spool_depth 0');
  });

  it('acknowledges during an InfluxDB outage (spooled) and writes everything after it', async () => {
    await influx.server.stop();
    const c = camera('CAM-9');
    for (let i = 0; i < 200; i++) {
      const payload = json({ ts: NOW - i * 1000, intervalS: 1, intensity: i });
      expect(await ingest.receive(c, topics.cameraCounts.of('CAM-9'), payload)).toBe('stored');
    }
    expect(ingest.status().spoolDepth).toBe(200);
    await influx.server.start();
    await drained();
    expect(ingest.status()).toMatchObject({ spoolDepth: 0, influxReachable: true, deadLetters: 0 });
    expect(await q(`SELECT count(intensity) FROM traffic_counts WHERE device='CAM-9'`)).toEqual([
      { time: 0, count: 200 },
    ]);
  });

  it('a resent reading (lost PUBACK) stays one point', async () => {
    const m = meter('M-7', 'water');
    const payload = json({ ts: NOW, kind: 'water', value: 12.5 });
    await ingest.receive(m, topics.meterReadings.of('M-7'), payload);
    await ingest.receive(m, topics.meterReadings.of('M-7'), payload);
    await drained();
    expect(await q(`SELECT count(value) FROM meter_readings WHERE device='M-7'`)).toEqual([
      { time: 0, count: 1 },
    ]);
  });

  it('refuses to take messages after stop instead of claiming them durable', async () => {
    await ingest.stop();
    await expect(
      ingest.receive(
        camera('CAM-1'),
        topics.cameraCounts.of('CAM-1'),
        json({ ts: NOW, intervalS: 5, intensity: 1 }),
      ),
    ).rejects.toThrow(/stopped/);
  });
});
