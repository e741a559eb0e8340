import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import DatabaseConstructor from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Registry, RegistryError } from './registry.ts';
import { SCHEMA_VERSION } from './registry-schema.ts';

let dir: string;
let path: string;
let registry: Registry;
let clock: number;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'registry-'));
  path = join(dir, 'nested', 'registry.sqlite');
  clock = 1_700_000_000_000;
  registry = Registry.open(path, { now: () => clock });
});

afterEach(() => {
  registry.close();
  rmSync(dir, { recursive: true, force: true });
});

async function rejection(p: Promise<unknown> | (() => unknown)): Promise<RegistryError> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (err) {
    if (err instanceof RegistryError) return err;
    throw err;
  }
  throw new Error('expected a RegistryError');
}

describe('schema', () => {
  it('creates the file with WAL and the current schema version', () => {
    const db = new DatabaseConstructor(path, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('reopens an existing file and keeps its data', async () => {
    await registry.addDevice({ id: 'cam-1', type: 'camera', intersectionId: 'I-1', approach: 'N' });
    registry.close();
    registry = Registry.open(path);
    expect(registry.listDevices().map((d) => d.id)).toEqual(['cam-1']);
  });

  it('refuses a file written by a newer schema', () => {
    registry.close();
    const db = new DatabaseConstructor(path);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    expect(() => Registry.open(path)).toThrow(/newer/);
    registry = Registry.open(join(dir, 'other.sqlite'));
  });

  it('stores only scrypt hashes, never the secret', async () => {
    const { secret } = await registry.addDevice({ id: 'm-1', type: 'meter', meterKind: 'water' });
    const db = new DatabaseConstructor(path, { readonly: true });
    const row = db.prepare('SELECT secret_hash FROM devices WHERE id = ?').get('m-1') as {
      secret_hash: string;
    };
    db.close();
    expect(row.secret_hash.startsWith('scrypt$1024$1$1$')).toBe(true);
    expect(row.secret_hash).not.toContain(secret);
  });
});

describe('devices', () => {
  it('adds a device and authenticates it with the secret it was given once', async () => {
    const creds = await registry.addDevice({
      id: 'cam-1',
      type: 'camera',
      intersectionId: 'I-1',
      approach: 'E',
    });
    expect(creds.id).toBe('cam-1');
    expect(creds.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const who = await registry.authenticate('cam-1', creds.secret);
    expect(who).toMatchObject({
      id: 'cam-1',
      role: 'device',
      deviceType: 'camera',
      intersectionId: 'I-1',
      approach: 'E',
      meterKind: null,
      gatewayMeters: null,
      rights: [],
    });
  });

  it('refuses a wrong secret, an unknown id and a revoked device, with the reason', async () => {
    const { secret } = await registry.addDevice({ id: 'sig-1', type: 'signal', intersectionId: 'I-1' });
    expect(await registry.authenticate('sig-1', `${secret}x`)).toBeNull();
    expect(await registry.check('sig-1', 'nope')).toEqual({ ok: false, reason: 'bad_secret' });
    expect(await registry.check('ghost', secret)).toEqual({ ok: false, reason: 'unknown' });
    registry.revokeDevice('sig-1');
    expect(await registry.check('sig-1', secret)).toEqual({ ok: false, reason: 'revoked' });
    expect(await registry.authenticate('sig-1', secret)).toBeNull();
  });

  it('records created and revoked times from the clock', async () => {
    await registry.addDevice({ id: 'gw-1', type: 'gateway' });
    clock += 5000;
    registry.revokeDevice('gw-1');
    clock += 5000;
    registry.revokeDevice('gw-1'); // idempotent: keeps the first time
    expect(registry.listDevices()).toEqual([
      {
        id: 'gw-1',
        type: 'gateway',
        intersectionId: null,
        approach: null,
        gatewayId: null,
        meterKind: null,
        createdAt: 1_700_000_000_000,
        revokedAt: 1_700_000_005_000,
      },
    ]);
    expect(registry.revokedIds()).toEqual(new Set(['gw-1']));
  });

  it('refuses to revoke an unknown device', async () => {
    expect((await rejection(() => registry.revokeDevice('ghost'))).code).toBe('not_found');
  });

  it('adds thousands in one batch and lists them by type', async () => {
    const specs = Array.from({ length: 2000 }, (_, i) => ({
      id: `m-${i}`,
      type: 'meter' as const,
      meterKind: 'electricity' as const,
    }));
    const creds = await registry.addDevices([{ id: 'gw-1', type: 'gateway' }, ...specs]);
    expect(creds).toHaveLength(2001);
    expect(new Set(creds.map((c) => c.secret)).size).toBe(2001);
    expect(registry.listDevices({ type: 'meter' })).toHaveLength(2000);
    expect(registry.listDevices({ type: 'gateway' }).map((d) => d.id)).toEqual(['gw-1']);
    const last = creds[2000];
    expect(await registry.authenticate('m-1999', last?.secret ?? '')).toMatchObject({ id: 'm-1999' });
  });

  it('is all or nothing: one bad device in a batch adds none', async () => {
    const err = await rejection(
      registry.addDevices([
        { id: 'ok-1', type: 'gateway' },
        { id: 'm-1', type: 'meter', gatewayId: 'no-such-gateway' },
      ]),
    );
    expect(err.code).toBe('invalid');
    expect(err.message).toMatch(/not a registered gateway/);
    expect(registry.listDevices()).toEqual([]);
  });

  it('gives a gateway the map of its live meters and their kinds', async () => {
    const creds = await registry.addDevices([
      { id: 'gw-1', type: 'gateway' },
      { id: 'w-1', type: 'meter', gatewayId: 'gw-1', meterKind: 'water' },
      { id: 'e-1', type: 'meter', gatewayId: 'gw-1' },
      { id: 'x-1', type: 'meter', gatewayId: 'gw-1', meterKind: 'electricity' },
      { id: 'other', type: 'meter', meterKind: 'water' },
    ]);
    registry.revokeDevice('x-1');
    const gw = await registry.authenticate('gw-1', creds[0]?.secret ?? '');
    expect(gw?.gatewayMeters).toEqual(
      new Map<string, string | null>([
        ['e-1', null],
        ['w-1', 'water'],
      ]),
    );
  });

  it('validates device specs with clear messages', async () => {
    const cases: [unknown, RegExp][] = [
      [{ id: 'bad id', type: 'meter' }, /id/],
      [{ id: 'c', type: 'camera' }, /camera needs intersectionId and approach/],
      [{ id: 's', type: 'signal', approach: 'N' }, /only cameras have an approach/],
      [{ id: 'm', type: 'meter', intersectionId: 'I-1' }, /only cameras and signals/],
      [{ id: 'g', type: 'gateway', meterKind: 'water' }, /only meters/],
      [{ id: 'x', type: 'lamp' }, /type/],
      [{ id: 'x', type: 'meter', extra: 1 }, /extra|unrecognized/i],
    ];
    for (const [spec, message] of cases) {
      // biome-ignore lint/suspicious/noExplicitAny: deliberately malformed input
      const err = await rejection(registry.addDevice(spec as any));
      expect(err.code).toBe('invalid');
      expect(err.message).toMatch(message);
    }
  });

  it('never reuses an id, not even a revoked one or a service id', async () => {
    await registry.addDevice({ id: 'm-1', type: 'meter' });
    expect((await rejection(registry.addDevice({ id: 'm-1', type: 'meter' }))).code).toBe('exists');
    registry.revokeDevice('m-1');
    expect((await rejection(registry.addDevice({ id: 'm-1', type: 'meter' }))).code).toBe('exists');
    expect((await rejection(registry.addService('m-1', ['plan:publish']))).code).toBe('exists');
    await registry.addService('svc', ['plan:publish']);
    expect((await rejection(registry.addDevice({ id: 'svc', type: 'gateway' }))).code).toBe('exists');
    expect(
      (
        await rejection(
          registry.addDevices([
            { id: 'd', type: 'gateway' },
            { id: 'd', type: 'gateway' },
          ]),
        )
      ).code,
    ).toBe('invalid');
  });
});

describe('service accounts', () => {
  it('adds a service with rights and authenticates it', async () => {
    const { id, secret } = await registry.addService('control', ['plan:publish', 'telemetry:subscribe']);
    expect(id).toBe('control');
    expect(await registry.authenticate('control', secret)).toMatchObject({
      id: 'control',
      role: 'service',
      deviceType: null,
      rights: ['plan:publish', 'telemetry:subscribe'],
    });
    expect(registry.listServices()).toEqual([
      { id: 'control', rights: ['plan:publish', 'telemetry:subscribe'], createdAt: clock, revokedAt: null },
    ]);
  });

  it('refuses unknown rights and an empty list', async () => {
    // biome-ignore lint/suspicious/noExplicitAny: deliberately malformed input
    expect((await rejection(registry.addService('s', ['root'] as any))).code).toBe('invalid');
    expect((await rejection(registry.addService('s', []))).code).toBe('invalid');
  });

  it('revokes a service', async () => {
    const { secret } = await registry.addService('dash', ['telemetry:subscribe']);
    registry.revokeService('dash');
    expect(await registry.check('dash', secret)).toEqual({ ok: false, reason: 'revoked' });
    expect(registry.revokedIds()).toEqual(new Set(['dash']));
    expect((await rejection(() => registry.revokeService('ghost'))).code).toBe('not_found');
  });
});

describe('operators', () => {
  it('generates a password once and verifies it', async () => {
    const { name, password } = await registry.addOperator('alice', 'admin');
    expect(name).toBe('alice');
    expect(password).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(await registry.verifyOperator('alice', password)).toEqual({ name: 'alice', role: 'admin' });
    expect(await registry.verifyOperator('alice', `${password}!`)).toBeNull();
    expect(await registry.verifyOperator('bob', password)).toBeNull();
  });

  it('accepts a chosen password of at least 12 characters', async () => {
    await registry.addOperator('bob@city.example', 'viewer', 'a long passphrase');
    expect(await registry.verifyOperator('bob@city.example', 'a long passphrase')).toEqual({
      name: 'bob@city.example',
      role: 'viewer',
    });
    expect((await rejection(registry.addOperator('carol', 'viewer', 'short'))).message).toMatch(
      /12 characters/,
    );
  });

  it('refuses bad names, bad roles and duplicates', async () => {
    expect((await rejection(registry.addOperator('no spaces', 'viewer'))).code).toBe('invalid');
    // biome-ignore lint/suspicious/noExplicitAny: deliberately malformed input
    expect((await rejection(registry.addOperator('dave', 'root' as any))).code).toBe('invalid');
    await registry.addOperator('dave', 'operator');
    expect((await rejection(registry.addOperator('dave', 'operator'))).code).toBe('exists');
  });

  it('revokes an operator, and re-adding gives a fresh password', async () => {
    const first = await registry.addOperator('erin', 'operator');
    clock += 1000;
    registry.revokeOperator('erin');
    expect(await registry.verifyOperator('erin', first.password)).toBeNull();
    expect(registry.listOperators()).toEqual([
      { name: 'erin', role: 'operator', createdAt: 1_700_000_000_000, revokedAt: 1_700_000_001_000 },
    ]);
    const second = await registry.addOperator('erin', 'viewer');
    expect(await registry.verifyOperator('erin', first.password)).toBeNull();
    expect(await registry.verifyOperator('erin', second.password)).toEqual({ name: 'erin', role: 'viewer' });
    expect((await rejection(() => registry.revokeOperator('ghost'))).code).toBe('not_found');
  });
});
