import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../scripts/lib/influxd.ts';
import { createInfluxWriter, RetryableWriteError } from './influx-writer.ts';
import { influxQuery, startTestInflux, type TestInflux } from './test-influx.ts';
import { camera } from './test-senders.ts';
import { rejectLine } from './to-lines.ts';

let influx: TestInflux;
beforeAll(async () => {
  influx = await startTestInflux('city');
});
afterAll(async () => {
  await influx.close();
});

const T0 = 1_780_000_000_000;

describe('InfluxDB writer (v1 API, real influxd 1.x)', () => {
  it('writes lines that read back exactly via InfluxQL', async () => {
    const w = createInfluxWriter({ url: influx.server.url, api: 'v1', db: 'city' });
    const lines = [
      `traffic_counts,device=CAM-W1 intensity=4i,intervalS=5 ${T0}000000`,
      `traffic_counts,device=CAM-W1 intensity=7i,intervalS=5 ${T0 + 5000}000000`,
    ];
    expect(await w.write(lines)).toEqual({ written: 2, refused: [] });
    const rows = await influxQuery(
      influx.server.url,
      'city',
      `SELECT intensity FROM traffic_counts WHERE device='CAM-W1'`,
    );
    expect(rows).toEqual([
      { time: T0, intensity: 4 },
      { time: T0 + 5000, intensity: 7 },
    ]);
  });

  it('round-trips escaped strings: quotes, backslashes, newlines, unicode', async () => {
    const w = createInfluxWriter({ url: influx.server.url, api: 'v1', db: 'city' });
    const payload = Buffer.from('{"a":"q\\"x\\\\y"}\nzé→✓ "end"');
    const line = rejectLine({
      sender: camera('CAM-ESC'),
      topic: 'city/traffic/cameras/CAM-ESC/counts',
      payload,
      reason: 'schema_violation',
      detail: 'a, b = "c"',
      receivedMs: T0,
      seq: 3,
    });
    expect(await w.write([line])).toEqual({ written: 1, refused: [] });
    const rows = await influxQuery(
      influx.server.url,
      'city',
      `SELECT sample, detail FROM ingest_rejects WHERE device='CAM-ESC'`,
    );
    expect(rows).toEqual([{ time: T0, sample: payload.toString('utf8'), detail: 'a, b = "c"' }]);
  });

  it('dead-letters a malformed line and a type-conflicting line while every good line lands', async () => {
    const w = createInfluxWriter({ url: influx.server.url, api: 'v1', db: 'city' });
    const good = Array.from({ length: 20 }, (_, i) => `dl_test,device=D v=${i} ${T0 + i}000000`);
    const bad = 'dl_test,device=D v=oops';
    const conflict = `dl_test,device=D v="a string" ${T0 + 100}000000`;
    const lines = [...good.slice(0, 7), bad, ...good.slice(7, 15), conflict, ...good.slice(15)];
    const result = await w.write(lines);
    expect(result.written).toBe(20);
    expect(result.refused.map((r) => r.line)).toEqual([bad, conflict]);
    expect(result.refused[0]?.error).toMatch(/unable to parse/);
    expect(result.refused[1]?.error).toMatch(/conflict/);
    const rows = await influxQuery(influx.server.url, 'city', 'SELECT count(v) FROM dl_test');
    expect(rows[0]?.count).toBe(20);
  });

  it('classifies a refused connection as retryable', async () => {
    const port = await freePort();
    const w = createInfluxWriter({ url: `http://127.0.0.1:${port}`, api: 'v1', db: 'city' });
    await expect(w.write(['m v=1'])).rejects.toBeInstanceOf(RetryableWriteError);
    await expect(w.ping()).rejects.toThrow(/unreachable/);
  });

  it('classifies a missing database as retryable: nothing is dropped for a config error', async () => {
    const w = createInfluxWriter({ url: influx.server.url, api: 'v1', db: 'nope' });
    await expect(w.write(['m v=1'])).rejects.toThrow(/404/);
  });

  it('v2 path on a 1.6 server is a retryable 404, never a dead letter', async () => {
    const w = createInfluxWriter({ url: influx.server.url, api: 'v2', db: 'city', org: 'o', token: 't' });
    await expect(w.write(['m v=1'])).rejects.toBeInstanceOf(RetryableWriteError);
  });

  it('pings a live server', async () => {
    const w = createInfluxWriter({ url: influx.server.url, api: 'v1', db: 'city' });
    await expect(w.ping()).resolves.toBeUndefined();
  });
});
