import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningPlatform } from './platform.ts';
import { type SimulatedTestPlatform, startSimulatedTestPlatform } from './testing/test-platform.ts';

// What `npm start` promises a newcomer: the simulated district's readings flow into InfluxDB,
// and the control loop's plans reach the signals — with the real broker, ingest and influxd.

let sim: SimulatedTestPlatform;
let platform: RunningPlatform;

beforeAll(async () => {
  sim = await startSimulatedTestPlatform({});
  platform = sim.platform;
});
afterAll(async () => {
  await sim?.stop();
});

const q = (s: string) => sim.q(s);
const devices = async (measurement: string) =>
  (await q(`SHOW TAG VALUES FROM ${measurement} WITH KEY = "device"`)).map((r) => String(r.value));

describe('npm start with the simulated city', () => {
  it('lands every kind of reading in InfluxDB, from the devices of the network, with no rejects', async () => {
    const net = platform.network;
    const deadline = Date.now() + 100_000;
    let seen: Record<string, string[]> = {};
    while (Date.now() < deadline) {
      seen = {
        traffic_counts: await devices('traffic_counts'),
        signal_state: await devices('signal_state'),
        meter_readings: await devices('meter_readings'),
        signal_plan: await devices('signal_plan'),
      };
      if (
        Object.values(seen).every((ids) => ids.length > 0) &&
        seen.signal_state?.length === net.intersections.length
      )
        break;
      await sleep(1000);
    }
    const cameraIds = new Set(net.cameras.map((c) => c.id));
    const intersectionIds = new Set(net.intersections.map((i) => i.id));
    const meterIds = new Set(net.buildings.flatMap((b) => b.meters.map((m) => m.id)));

    // Cameras may be simulated as silent or stuck, but most report, and only cameras of the network.
    expect(seen.traffic_counts?.length).toBeGreaterThan(cameraIds.size / 2);
    for (const id of seen.traffic_counts ?? []) expect(cameraIds.has(id)).toBe(true);
    expect(new Set(seen.signal_state)).toEqual(intersectionIds);
    expect(seen.meter_readings?.length).toBeGreaterThan(0);
    for (const id of seen.meter_readings ?? []) expect(meterIds.has(id)).toBe(true);
    // The control loop's plans went out over MQTT and were stored by ingest.
    for (const id of seen.signal_plan ?? []) expect(intersectionIds.has(id)).toBe(true);
    expect(await q('SELECT count(*) FROM ingest_rejects')).toEqual([]);
  });

  it('runs the signals on plans the control loop sent', async () => {
    const deadline = Date.now() + 60_000;
    let sources: string[] = [];
    while (Date.now() < deadline) {
      const rows = await q(
        `SELECT last(source) AS source FROM signal_state WHERE time > now() - 30s GROUP BY device`,
      );
      sources = rows.map((r) => String(r.source));
      if (sources.some((s) => s === 'adaptive')) break;
      await sleep(1000);
    }
    expect(sources).toContain('adaptive');
  });
});
