import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { pino } from 'pino';
import { Registry as PromRegistry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MessageSink } from '../protocol/identity.ts';
import { topics } from '../protocol/topics.ts';
import { createBroker } from './create-broker.ts';
import { Registry } from './registry.ts';

const CITY = join(import.meta.dirname, '..', 'scripts', 'city.mjs');

let dataDir: string;

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'city-cli-'));
});

afterEach(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the real `city` command (as `npx city` would) with DATA_DIR pointing at the temp dir. */
function city(args: string[], stdin?: string): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [CITY, ...args],
      { env: { ...process.env, DATA_DIR: dataDir }, timeout: 60_000 },
      (err, stdout, stderr) => {
        const code = err === null ? 0 : typeof err.code === 'number' ? err.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
    child.stdin?.end(stdin ?? '');
  });
}

const lines = (out: string) =>
  out
    .trim()
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('city device', () => {
  it('adds a device whose printed secret authenticates over MQTT', async () => {
    const added = await city([
      'device',
      'add',
      'cam-7',
      '--type',
      'camera',
      '--intersection',
      'I-3',
      '--approach',
      'W',
    ]);
    expect(added.code).toBe(0);
    const [creds] = lines(added.stdout);
    expect(Object.keys(creds ?? {})).toEqual(['id', 'secret']);
    const secret = String(creds?.secret);

    const registry = Registry.open(join(dataDir, 'registry.sqlite'));
    const received: string[] = [];
    const sink: MessageSink = {
      receive: async (sender, topic) => {
        received.push(`${sender.id} ${topic}`);
        return 'stored';
      },
    };
    const broker = createBroker({
      registry,
      sink,
      logger: pino({ level: 'silent' }),
      metrics: new PromRegistry(),
      revocationSweepMs: 0,
    });
    try {
      const { tcpPort } = await broker.listen({ tcpPort: 0, host: '127.0.0.1' });
      const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${tcpPort}`, {
        clientId: 'cam-7',
        username: 'cam-7',
        password: secret,
        reconnectPeriod: 0,
      });
      const topic = topics.cameraCounts.of('cam-7');
      await client.publishAsync(topic, JSON.stringify({ ts: Date.now(), intervalS: 60, intensity: 3 }), {
        qos: 1,
      });
      await client.endAsync();
      expect(received).toEqual([`cam-7 ${topic}`]);
    } finally {
      await broker.close();
      registry.close();
    }
  });

  it('lists devices as JSON lines without secrets, filtered by type', async () => {
    await city(['device', 'add', 'gw-1', '--type', 'gateway']);
    await city(['device', 'add', 'm-1', '--type', 'meter', '--gateway', 'gw-1', '--kind', 'water']);
    const all = await city(['device', 'list']);
    expect(all.code).toBe(0);
    expect(all.stdout).not.toMatch(/secret|scrypt/);
    expect(lines(all.stdout).map((d) => d.id)).toEqual(['gw-1', 'm-1']);
    const meters = lines((await city(['device', 'list', '--type', 'meter'])).stdout);
    expect(meters).toEqual([
      expect.objectContaining({
        id: 'm-1',
        type: 'meter',
        gatewayId: 'gw-1',
        meterKind: 'water',
        revokedAt: null,
      }),
    ]);
  });

  it('revokes a device so its secret no longer authenticates', async () => {
    const [creds] = lines((await city(['device', 'add', 'sig-1', '--type', 'signal'])).stdout);
    const revoked = await city(['device', 'revoke', 'sig-1']);
    expect(revoked.code).toBe(0);
    const registry = Registry.open(join(dataDir, 'registry.sqlite'));
    try {
      expect(await registry.check('sig-1', String(creds?.secret))).toEqual({ ok: false, reason: 'revoked' });
    } finally {
      registry.close();
    }
  });

  it('fails with a clear message and a non-zero exit on bad arguments', async () => {
    const cases: [string[], RegExp][] = [
      [['device', 'add', 'x', '--type', 'lamp'], /Allowed choices are camera, signal, meter, gateway/],
      [['device', 'add', 'x'], /--type/],
      [['device', 'add', 'c-1', '--type', 'camera'], /camera needs intersectionId and approach/],
      [['device', 'add', 'bad/id', '--type', 'gateway'], /ids are 1-64 characters/],
      [['device', 'revoke', 'ghost'], /no device ghost/],
      [['service', 'add', 's', '--rights', 'plan:publish,root'], /unknown right "root"/],
      [['user', 'add', 'u', '--role', 'god'], /Allowed choices are viewer, operator, admin/],
    ];
    for (const [args, message] of cases) {
      const r = await city(args);
      expect(r.code, args.join(' ')).not.toBe(0);
      expect(r.stderr).toMatch(message);
      expect(r.stdout).toBe('');
    }
  });

  it('refuses a duplicate id', async () => {
    expect((await city(['device', 'add', 'gw-1', '--type', 'gateway'])).code).toBe(0);
    const again = await city(['device', 'add', 'gw-1', '--type', 'gateway']);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already registered/);
  });
});

describe('city service', () => {
  it('adds, lists and revokes a service account', async () => {
    const added = await city(['service', 'add', 'control', '--rights', 'plan:publish,telemetry:subscribe']);
    expect(added.code).toBe(0);
    expect(lines(added.stdout)[0]).toEqual({ id: 'control', secret: expect.stringMatching(/^[\w-]{43}$/) });
    expect(lines((await city(['service', 'list'])).stdout)).toEqual([
      expect.objectContaining({
        id: 'control',
        rights: ['plan:publish', 'telemetry:subscribe'],
        revokedAt: null,
      }),
    ]);
    expect((await city(['service', 'revoke', 'control'])).code).toBe(0);
    expect(lines((await city(['service', 'list'])).stdout)[0]?.revokedAt).toEqual(expect.any(Number));
  });
});

describe('city user', () => {
  it('generates a password once, which verifies', async () => {
    const added = await city(['user', 'add', 'alice', '--role', 'operator']);
    expect(added.code).toBe(0);
    const [out] = lines(added.stdout);
    expect(out).toEqual({ name: 'alice', role: 'operator', password: expect.stringMatching(/^[\w-]{24}$/) });
    const registry = Registry.open(join(dataDir, 'registry.sqlite'));
    try {
      expect(await registry.verifyOperator('alice', String(out?.password))).toEqual({
        name: 'alice',
        role: 'operator',
      });
    } finally {
      registry.close();
    }
  });

  it('takes a chosen password from stdin without echoing it', async () => {
    const added = await city(
      ['user', 'add', 'bob', '--role', 'viewer', '--password-stdin'],
      'a long passphrase\n',
    );
    expect(added.code).toBe(0);
    expect(added.stdout).not.toContain('passphrase');
    const registry = Registry.open(join(dataDir, 'registry.sqlite'));
    try {
      expect(await registry.verifyOperator('bob', 'a long passphrase')).toEqual({
        name: 'bob',
        role: 'viewer',
      });
    } finally {
      registry.close();
    }
    const short = await city(['user', 'add', 'carol', '--role', 'viewer', '--password-stdin'], 'short\n');
    expect(short.code).toBe(1);
    expect(short.stderr).toMatch(/at least 12 characters/);
  });

  it('lists and revokes operators', async () => {
    await city(['user', 'add', 'dave', '--role', 'admin']);
    expect((await city(['user', 'revoke', 'dave'])).code).toBe(0);
    const listed = lines((await city(['user', 'list'])).stdout);
    expect(listed).toEqual([
      expect.objectContaining({ name: 'dave', role: 'admin', revokedAt: expect.any(Number) }),
    ]);
    expect(JSON.stringify(listed)).not.toMatch(/password|scrypt/);
  });
});
