import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureInfluxd, type Influxd, influxdConfig, startInfluxd } from './influxd.ts';

let dir: string;
let server: Influxd | null = null;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'influxd-test-'));
});
afterEach(async () => {
  await server?.stop();
  server = null;
  rmSync(dir, { recursive: true, force: true });
});

async function write(url: string, body: string): Promise<number> {
  const res = await fetch(`${url}/write?db=t&precision=ns`, { method: 'POST', body });
  return res.status;
}

async function count(url: string): Promise<unknown> {
  const q = new URLSearchParams({ db: 't', q: 'SELECT count(v) FROM m' });
  const body = (await (await fetch(`${url}/query?${q}`)).json()) as {
    results: Array<{ series?: Array<{ values: unknown[][] }> }>;
  };
  return body.results[0]?.series?.[0]?.values[0]?.[1] ?? 0;
}

describe('influxd launcher', () => {
  it('ensureInfluxd finds the installed server', () => {
    expect(() => ensureInfluxd()).not.toThrow();
  });

  it('keeps everything under dataDir and listens on loopback only', () => {
    const conf = influxdConfig('/d', 18086, 18088);
    expect(conf).toContain('bind-address = "127.0.0.1:18086"');
    expect(conf).toContain('bind-address = "127.0.0.1:18088"');
    expect(conf).toContain('reporting-disabled = true');
    for (const m of conf.matchAll(/dir = "([^"]+)"/g)) expect(m[1]?.startsWith('/d/')).toBe(true);
  });

  it('starts on a free port, creates the database, and keeps data across stop, kill and start', async () => {
    server = await startInfluxd({ dataDir: join(dir, 'influx'), db: 't' });
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    expect(existsSync(join(dir, 'influx', 'influxd.conf'))).toBe(true);
    expect(await write(server.url, 'm v=1 1700000000000000000')).toBe(204);

    await server.stop();
    await expect(fetch(`${server.url}/ping`)).rejects.toThrow();
    await server.start();
    expect(await count(server.url)).toBe(1);

    // A crash right after an acknowledged write: influxd's WAL must bring the point back.
    expect(await write(server.url, 'm v=2 1700000000000000001')).toBe(204);
    const port = server.port;
    await server.kill();
    await server.start();
    expect(server.port).toBe(port);
    expect(await count(server.url)).toBe(2);
    expect(readFileSync(join(dir, 'influx', 'influxd.conf'), 'utf8')).toContain(`127.0.0.1:${port}`);
  });

  it('refuses a port another server already answers on (its /ping would pass for ours)', async () => {
    const first = await startInfluxd({ dataDir: join(dir, 'a') });
    server = first;
    await expect(
      startInfluxd({ dataDir: join(dir, 'b'), port: first.port, startTimeoutMs: 15_000 }),
    ).rejects.toThrow(/in use/);
  });
});
