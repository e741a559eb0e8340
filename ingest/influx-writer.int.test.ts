import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
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

interface Seen {
  readonly method: string;
  readonly url: string;
  readonly authorization: string | undefined;
  readonly body: string;
}

/**
 * A stand-in HTTP server for what no Debian package provides here (a 2.x server, overload
 * answers): it records each request and answers with `respond`.
 */
async function withServer(
  respond: (seen: Seen, res: ServerResponse) => void,
  run: (url: string, seen: Seen[]) => Promise<void>,
): Promise<void> {
  const seen: Seen[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString();
    });
    req.on('end', () => {
      const s = {
        method: req.method ?? '',
        url: req.url ?? '',
        authorization: req.headers.authorization,
        body,
      };
      seen.push(s);
      respond(s, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await run(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

describe('InfluxDB writer: request shape and error classes', () => {
  it('v2 posts to /api/v2/write with org, bucket, ns precision and the token', async () => {
    await withServer(
      (_s, res) => res.writeHead(204).end(),
      async (url, seen) => {
        const w = createInfluxWriter({
          url,
          api: 'v2',
          db: 'city',
          org: 'ops',
          bucket: 'tele',
          token: 'sekrit',
        });
        expect(await w.write(['a v=1 1', 'a v=2 2'])).toEqual({ written: 2, refused: [] });
        expect(seen).toEqual([
          {
            method: 'POST',
            url: '/api/v2/write?bucket=tele&precision=ns&org=ops',
            authorization: 'Token sekrit',
            body: 'a v=1 1\na v=2 2',
          },
        ]);
      },
    );
  });

  it('v1 sends rp and basic auth when configured', async () => {
    await withServer(
      (_s, res) => res.writeHead(204).end(),
      async (url, seen) => {
        const w = createInfluxWriter({
          url,
          api: 'v1',
          db: 'city',
          rp: 'week',
          username: 'u',
          password: 'p',
        });
        await w.write(['a v=1 1']);
        expect(seen[0]?.url).toBe('/write?db=city&precision=ns&rp=week');
        expect(seen[0]?.authorization).toBe(`Basic ${Buffer.from('u:p').toString('base64')}`);
      },
    );
  });

  it('429 with Retry-After and 503 are retryable, carrying the requested wait', async () => {
    await withServer(
      (s, res) =>
        s.body.includes('busy')
          ? res.writeHead(429, { 'retry-after': '2' }).end('{"error":"slow down"}')
          : res.writeHead(503).end('down'),
      async (url) => {
        const w = createInfluxWriter({ url, api: 'v1', db: 'city' });
        const busy = await w.write(['busy v=1']).catch((e: unknown) => e);
        expect(busy).toBeInstanceOf(RetryableWriteError);
        expect((busy as RetryableWriteError).retryAfterMs).toBe(2000);
        await expect(w.write(['down v=1'])).rejects.toThrow(/503/);
      },
    );
  });

  it('413 (body too large) bisects down to what the server takes', async () => {
    await withServer(
      (s, res) =>
        s.body.split('\n').length > 2 ? res.writeHead(413).end('too large') : res.writeHead(204).end(),
      async (url, seen) => {
        const w = createInfluxWriter({ url, api: 'v1', db: 'city' });
        const lines = Array.from({ length: 8 }, (_, i) => `m v=${i} ${i}`);
        expect(await w.write(lines)).toEqual({ written: 8, refused: [] });
        const landed = seen.filter((s) => s.body.split('\n').length <= 2).flatMap((s) => s.body.split('\n'));
        expect(landed).toEqual(lines);
      },
    );
  });
});
