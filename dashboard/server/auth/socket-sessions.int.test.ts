import type { AddressInfo } from 'node:net';
import { io as connect, type Socket } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { dashboardFixture, type Fixture, PASSWORDS } from '../test-support/dashboard-fixture.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500 && !cond(); i++) await sleep(10);
  if (!cond()) throw new Error(`timed out waiting for ${what}`);
}

let f: Fixture | null = null;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.disconnect();
  await f?.close();
  f = null;
});

/** A listening dashboard and a connected live-map socket of `name`. */
async function connected(name: string, password: string, sessionLimits = {}) {
  f = await dashboardFixture({ sessionLimits });
  await f.app.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(f.app.server.address() as AddressInfo).port}`;
  const cookie = await f.login(name, password);
  const socket = connect(url, { transports: ['websocket'], reconnection: false, extraHeaders: { cookie } });
  sockets.push(socket);
  const reasons: string[] = [];
  socket.on('disconnect', (reason) => reasons.push(reason));
  await until(() => socket.connected, 'socket connected');
  return { fx: f, socket, cookie, reasons };
}

describe('live sockets and sessions', () => {
  it('disconnect the map of an operator who is revoked', async () => {
    const { fx, socket, reasons } = await connected('vera', PASSWORDS.viewer);
    fx.registry.revokeOperator('vera');
    fx.clock.advance(1000);
    await until(() => !socket.connected, 'socket dropped');
    expect(reasons).toEqual(['io server disconnect']);
  });

  it('disconnect the map when its session is logged out', async () => {
    const { fx, socket, cookie } = await connected('oscar', PASSWORDS.op);
    await fx.app.inject({ method: 'POST', url: '/api/logout', headers: { cookie } });
    fx.clock.advance(1000);
    await until(() => !socket.connected, 'socket dropped');
  });

  it('keep the session of an open map from idling out, but not past its lifetime', async () => {
    const { fx, socket, cookie } = await connected('vera', PASSWORDS.viewer, {
      idleMs: 60_000,
      ttlMs: 300_000,
    });
    for (let i = 0; i < 4; i++) fx.clock.advance(30_000);
    expect((await fx.app.inject({ url: '/api/me', headers: { cookie } })).statusCode).toBe(200);
    expect(socket.connected).toBe(true);
    fx.clock.advance(180_000);
    await until(() => !socket.connected, 'socket dropped at the absolute lifetime');
    expect((await fx.app.inject({ url: '/api/me', headers: { cookie } })).statusCode).toBe(401);
  });
});
