import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDrain, type Drain } from './drain.ts';
import { createInfluxWriter } from './influx-writer.ts';
import { Journal } from './journal.ts';
import { influxQuery, startTestInflux, type TestInflux } from './test-influx.ts';

const T0 = 1_780_000_000_000;
let influx: TestInflux;
let journal: Journal;
let drain: Drain | null = null;

beforeEach(async () => {
  influx = await startTestInflux('city');
  journal = Journal.open(join(influx.dir, 'spool.sqlite'));
});
afterEach(async () => {
  await drain?.stop(0);
  drain = null;
  journal.close();
  await influx.close();
});

/** Polls until `cond` holds; bounded so a broken drain fails the test instead of hanging it. */
async function waitFor(cond: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

function startDrain(batchSize = 100): Drain {
  const d = createDrain({
    journal,
    writer: createInfluxWriter({ url: influx.server.url, api: 'v1', db: 'city', timeoutMs: 2000 }),
    batchSize,
    minRetryMs: 20,
    maxRetryMs: 300,
  });
  d.start();
  drain = d;
  return d;
}

const count = async (measurement: string) =>
  (await influxQuery(influx.server.url, 'city', `SELECT count(v) FROM ${measurement}`))[0]?.count ?? 0;

describe('drain (real influxd)', () => {
  it('spools through an outage and lands every line exactly once, in order, when InfluxDB returns', async () => {
    const d = startDrain(100);
    await journal.append(Array.from({ length: 50 }, (_, i) => `outage,device=A v=${i} ${T0 + i}000000`));
    await waitFor(() => journal.depth() === 0, 'the first lines to drain');
    expect(d.status().influxReachable).toBe(true);

    await influx.server.stop();
    // Appends keep resolving while InfluxDB is down: they are durable in the spool.
    for (let i = 50; i < 1050; i += 10) {
      await journal.append(
        Array.from({ length: 10 }, (_, k) => `outage,device=A v=${i + k} ${T0 + i + k}000000`),
      );
    }
    // Order check: the same point written twice, the later value must win after the replay.
    await journal.append([`outage,device=ORDER v=1 ${T0}000000`]);
    await journal.append([`outage,device=ORDER v=2 ${T0}000000`]);
    await waitFor(() => !d.status().influxReachable, 'the drain to notice the outage');
    expect(journal.depth()).toBeGreaterThanOrEqual(1002);
    expect(d.status().lastError).toMatch(/unreachable/);

    await influx.server.start();
    await waitFor(() => journal.depth() === 0, 'the spool to drain after the restart');
    expect(d.status().influxReachable).toBe(true);
    expect(await count('outage')).toBe(1051);
    const rows = await influxQuery(influx.server.url, 'city', `SELECT v FROM outage WHERE device='ORDER'`);
    expect(rows).toEqual([{ time: T0, v: 2 }]);
    const distinct = await influxQuery(
      influx.server.url,
      'city',
      `SELECT count(distinct(v)) FROM outage WHERE device='A'`,
    );
    expect(distinct[0]?.count).toBe(1050);
  });

  it('starts writing what a previous process left in the spool', async () => {
    await journal.append(Array.from({ length: 30 }, (_, i) => `leftover,device=B v=${i} ${T0 + i}000000`));
    journal.close();
    journal = Journal.open(join(influx.dir, 'spool.sqlite'));
    startDrain();
    await waitFor(() => journal.depth() === 0, 'the leftover lines to drain');
    expect(await count('leftover')).toBe(30);
  });

  it('moves a malformed line to the dead letters and never blocks the lines behind it', async () => {
    startDrain(10);
    const lines = Array.from({ length: 25 }, (_, i) => `dead,device=C v=${i} ${T0 + i}000000`);
    lines.splice(12, 0, 'dead,device=C v=not-a-number');
    await journal.append(lines);
    await waitFor(() => journal.depth() === 0, 'the spool to drain past the bad line');
    expect(await count('dead')).toBe(25);
    expect(journal.deadLetterCount()).toBe(1);
    expect(journal.deadLetters()[0]).toMatchObject({
      line: 'dead,device=C v=not-a-number',
      error: /unable to parse/,
    });
  });

  it('on stop leaves unwritten lines in the spool when InfluxDB is down', async () => {
    const d = startDrain();
    await influx.server.stop();
    await journal.append(['stopped,device=D v=1']);
    await waitFor(() => !d.status().influxReachable, 'the outage to be noticed');
    await d.stop(100);
    drain = null;
    expect(journal.depth()).toBe(1);
    await influx.server.start();
  });

  it('on stop flushes what is spooled while InfluxDB answers', async () => {
    const d = createDrain({
      journal,
      writer: createInfluxWriter({ url: influx.server.url, api: 'v1', db: 'city' }),
      idleMs: 60_000,
    });
    d.start();
    await waitFor(() => d.status().influxReachable, 'the first ping');
    await journal.append(Array.from({ length: 20 }, (_, i) => `flush,device=E v=${i} ${T0 + i}000000`));
    await d.stop(10_000);
    expect(journal.depth()).toBe(0);
    expect(await count('flush')).toBe(20);
  });
});
