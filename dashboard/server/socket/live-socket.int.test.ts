import type { AddressInfo } from 'node:net';
import { io as connect, type Socket } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import type { Delta, Snapshot } from '../../shared/contract.ts';
import { dashboardFixture, type Fixture, PASSWORDS, T0 } from '../test-support/dashboard-fixture.ts';

const A_ONLY = { bbox: [37.59, 55.74, 37.61, 55.76], zoom: 16 };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let f: Fixture | null = null;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.disconnect();
  await f?.close();
  f = null;
});

async function listening(
  opts: Parameters<typeof dashboardFixture>[0] = {},
): Promise<{ fx: Fixture; url: string }> {
  f = await dashboardFixture(opts);
  await f.app.listen({ port: 0, host: '127.0.0.1' });
  return { fx: f, url: `http://127.0.0.1:${(f.app.server.address() as AddressInfo).port}` };
}

function client(url: string, cookie?: string): Socket {
  const s = connect(url, {
    transports: ['websocket'],
    reconnection: false,
    ...(cookie ? { extraHeaders: { cookie } } : {}),
  });
  sockets.push(s);
  return s;
}

async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500 && !cond(); i++) await sleep(10);
  if (!cond()) throw new Error(`timed out waiting for ${what}`);
}

/** Advances the dashboard's clock in `stepMs` steps, giving sockets real time to deliver and ack. */
async function drive(
  fx: Fixture,
  totalMs: number,
  stepMs: number,
  each?: (t: number) => void,
): Promise<void> {
  for (let t = 0; t < totalMs; t += stepMs) {
    each?.(t);
    fx.clock.advance(stepMs);
    await sleep(3);
  }
}

const counts = (intensity: number) => ({ ts: T0, intervalS: 60, intensity, queueLength: intensity });

describe('live socket', () => {
  it('refuses a handshake without a session cookie', async () => {
    const { url } = await listening();
    const s = client(url);
    const err = await new Promise<Error>((resolve) => s.on('connect_error', resolve));
    expect(err.message).toBe('unauthorized');
    const forged = client(url, 'sid=not.signed');
    const err2 = await new Promise<Error>((resolve) => forged.on('connect_error', resolve));
    expect(err2.message).toBe('unauthorized');
  });

  it('sends a snapshot of the viewport, then deltas of changes inside it only', async () => {
    const { fx, url } = await listening();
    const s = client(url, await fx.login('vera', PASSWORDS.viewer));
    const snapshots: Snapshot[] = [];
    const deltas: Delta[] = [];
    s.on('snapshot', (x: Snapshot, ack: () => void) => {
      snapshots.push(x);
      ack();
    });
    s.on('delta', (x: Delta, ack: () => void) => {
      deltas.push(x);
      ack();
    });
    await new Promise<void>((resolve) => s.on('connect', () => resolve()));
    s.emit('viewport', A_ONLY);
    // The viewport reaches the server before the clock tick that sends the snapshot.
    await sleep(50);
    await drive(fx, 100, 50);
    await until(() => snapshots.length === 1, 'snapshot');
    expect(snapshots[0]?.intersections.map((i) => i.id)).toEqual(['A']);
    expect(snapshots[0]?.links.map((l) => l.id).sort()).toEqual(['A-in-E', 'A-in-N', 'A-in-S', 'A-in-W']);

    fx.live.applyCameraCounts('cam-B-N', counts(20), T0);
    await drive(fx, 300, 50);
    expect(deltas).toEqual([]);
    fx.live.applyCameraCounts('cam-A-N', counts(20), T0);
    await drive(fx, 300, 50);
    await until(() => deltas.length === 1, 'delta');
    expect(deltas[0]?.links?.map((l) => l.id)).toEqual(['A-in-N']);
    expect(deltas[0]?.intersections?.map((i) => i.id)).toEqual(['A']);
    expect(JSON.stringify(deltas)).not.toContain('B-in-N');
  });

  it('coalesces: at most 4 emissions per second while the city changes every 20 ms', async () => {
    const { fx, url } = await listening();
    const s = client(url, await fx.login('vera', PASSWORDS.viewer));
    let emissions = 0;
    const lastFlow: number[] = [];
    s.on('snapshot', (_x: Snapshot, ack: () => void) => {
      emissions += 1;
      ack();
    });
    s.on('delta', (x: Delta, ack: () => void) => {
      emissions += 1;
      const l = x.links?.find((k) => k.id === 'A-in-N');
      if (l) lastFlow.push(l.flowVehPerH);
      ack();
    });
    await new Promise<void>((resolve) => s.on('connect', () => resolve()));
    s.emit('viewport', A_ONLY);
    await sleep(50);
    let n = 0;
    // 5 simulated seconds with a change every 20 ms: 250 changes.
    await drive(fx, 5000, 20, () => {
      n += 1;
      fx.live.applyCameraCounts('cam-A-N', counts(n), T0);
    });
    await sleep(100);
    expect(emissions).toBeLessThanOrEqual(5 * 4 + 1);
    expect(emissions).toBeGreaterThanOrEqual(10);
    // Coalesced, not dropped: the last delta carries the latest value.
    fx.clock.advance(300);
    await sleep(50);
    expect(lastFlow.at(-1)).toBe(n * 60);
  });

  it('gives a client that stops acknowledging a fresh snapshot once it catches up, never a queue', async () => {
    const { fx, url } = await listening({ stream: { maxInFlight: 3 } });
    const s = client(url, await fx.login('vera', PASSWORDS.viewer));
    const got: string[] = [];
    const held: (() => void)[] = [];
    s.on('snapshot', (_x: Snapshot, ack: () => void) => {
      got.push('snapshot');
      held.push(ack);
    });
    s.on('delta', (_x: Delta, ack: () => void) => {
      got.push('delta');
      held.push(ack);
    });
    await new Promise<void>((resolve) => s.on('connect', () => resolve()));
    s.emit('viewport', A_ONLY);
    await sleep(50);
    let n = 0;
    await drive(fx, 3000, 50, () => {
      n += 1;
      fx.live.applyCameraCounts('cam-A-N', counts(n), T0);
    });
    expect(got).toEqual(['snapshot', 'delta', 'delta']);
    for (const ack of held.splice(0)) ack();
    await sleep(50);
    await drive(fx, 300, 50);
    await until(() => got.length === 4, 'resync snapshot');
    expect(got[3]).toBe('snapshot');
  });
});
