import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toLines, validate } from '../../../ingest/index.ts';
import type { SenderIdentity } from '../../../protocol/identity.ts';
import type { Approach, DeviceType } from '../../../protocol/ids.ts';
import { ensureInfluxd, type Influxd, startInfluxd } from '../../../scripts/lib/influxd.ts';
import { dashboardFixture, PASSWORDS } from '../test-support/dashboard-fixture.ts';
import { influxQuery } from './influx-query.ts';
import { readHistory } from './read-history.ts';

const MIN = 60_000;
// Whole hours, two hours ago: inside ingest's accepted window and InfluxDB's autogen retention.
const T = Math.floor((Date.now() - 2 * 3_600_000) / 3_600_000) * 3_600_000;

let dir = '';
let influx: Influxd;
let target: { url: string; db: string };

function sender(
  id: string,
  deviceType: DeviceType,
  intersectionId: string | null,
  approach: Approach | null,
): SenderIdentity {
  return {
    id,
    role: 'device',
    deviceType,
    intersectionId,
    approach,
    meterKind: null,
    gatewayMeters: null,
    rights: [],
  };
}

/** Writes messages exactly as ingest stores them: ingest's own validation and line format. */
async function store(s: SenderIdentity, topic: string, payload: unknown): Promise<void> {
  const v = validate(s, topic, Buffer.from(JSON.stringify(payload)), T + 10 * MIN);
  if (!v.ok) throw new Error(`fixture message refused: ${v.reason} ${v.detail}`);
  const res = await fetch(`${target.url}/write?db=${target.db}`, {
    method: 'POST',
    body: toLines(v, s).join('\n'),
  });
  if (res.status !== 204) throw new Error(`write: ${res.status} ${await res.text()}`);
}

beforeAll(async () => {
  ensureInfluxd();
  dir = mkdtempSync(join(tmpdir(), 'dash-hist-'));
  influx = await startInfluxd({ dataDir: join(dir, 'influx'), db: 'city' });
  target = { url: influx.url, db: 'city' };
  const camN = sender('cam-A-N', 'camera', 'A', 'N');
  const camS = sender('cam-A-S', 'camera', 'A', 'S');
  for (let m = 0; m < 4; m++) {
    await store(camN, 'city/traffic/cameras/cam-A-N/counts', {
      ts: T + m * MIN,
      intervalS: 60,
      intensity: 10 + m,
      queueLength: 4,
    });
    await store(camS, 'city/traffic/cameras/cam-A-S/counts', {
      ts: T + m * MIN,
      intervalS: 60,
      intensity: 1,
      queueLength: 2,
    });
  }
  const sig = sender('A', 'signal', 'A', null);
  await store(sig, 'city/traffic/signals/A/state', {
    ts: T,
    planId: 'day',
    phase: 'NS',
    phaseElapsedS: 0,
    mode: 'adaptive',
    faults: [],
  });
  await store(sig, 'city/traffic/signals/A/state', {
    ts: T + 2 * MIN,
    planId: 'day',
    phase: 'NS',
    phaseElapsedS: 0,
    mode: 'flash',
    faults: ['lamp'],
  });
  const wm = { ...sender('wm-1', 'meter', null, null), meterKind: 'water' as const };
  await store(wm, 'city/utility/meters/wm-1/readings', [
    { ts: T, kind: 'water', value: 100, flow: 10 },
    { ts: T + MIN, kind: 'water', value: 100.2, flow: 30 },
  ]);
}, 120_000);

afterAll(async () => {
  await influx?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('history from a real InfluxDB', () => {
  it('sums a camera’s counts into buckets, and an intersection’s cameras together', async () => {
    const cam = await readHistory(target, {
      series: 'counts',
      id: 'cam-A-N',
      from: T,
      to: T + 4 * MIN,
      points: 2,
    });
    expect(cam.stepMs).toBe(2 * MIN);
    expect(cam.points).toEqual([
      { t: T, v: 21 },
      { t: T + 2 * MIN, v: 25 },
    ]);
    const junction = await readHistory(target, {
      series: 'counts',
      id: 'A',
      from: T,
      to: T + 4 * MIN,
      points: 1,
    });
    expect(junction.points).toEqual([{ t: T, v: 46 + 4 }]);
  });

  it('adds the mean queues of an intersection’s cameras', async () => {
    const q = await readHistory(target, { series: 'queues', id: 'A', from: T, to: T + 4 * MIN, points: 4 });
    expect(q.points.map((p) => p.v)).toEqual([6, 6, 6, 6]);
  });

  it('reports modes as indexes into a legend', async () => {
    const h = await readHistory(target, { series: 'modes', id: 'A', from: T, to: T + 4 * MIN, points: 2 });
    const legend = h.legend?.mode ?? [];
    expect(h.points.map((p) => legend[p.mode as number])).toEqual(['adaptive', 'flash']);
    expect(h.points.map((p) => p.faults)).toEqual([0, 1]);
  });

  it('reads meter registers and flow', async () => {
    const h = await readHistory(target, { series: 'meter', id: 'wm-1', from: T, to: T + 2 * MIN, points: 2 });
    expect(h.points).toEqual([
      { t: T, value: 100, flow: 10, power: null },
      { t: T + MIN, value: 100.2, flow: 30, power: null },
    ]);
  });

  it('keeps hostile ids bound as values: they match nothing and change nothing', async () => {
    for (const id of [`cam-A-N' OR '1'='1`, `cam-A-N" OR 1=1 --`, `x'; DROP DATABASE city; --`, '/.*/']) {
      // Straight to the query layer, past the API's id validation, to test the binding itself.
      const h = await readHistory(target, { series: 'counts', id, from: T, to: T + 4 * MIN, points: 4 });
      expect(h.points, id).toEqual([]);
    }
    const still = await influxQuery(target, {
      text: 'SELECT count("intensity") FROM "traffic_counts"',
      params: {},
    });
    expect(still[0]?.values[0]?.[1]).toBe(8);
  });

  it('answers GET /api/history through the dashboard', async () => {
    const fx = await dashboardFixture({ influx: target });
    try {
      const cookie = await fx.login('vera', PASSWORDS.viewer);
      const res = await fx.app.inject({
        url: `/api/history?series=counts&id=cam-A-S&from=${T}&to=${T + 4 * MIN}&points=1`,
        headers: { cookie },
      });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({
        series: 'counts',
        id: 'cam-A-S',
        fields: ['v'],
        points: [{ t: T, v: 4 }],
      });
    } finally {
      await fx.close();
    }
  });
});
