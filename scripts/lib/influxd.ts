import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** The command that installs the server on Debian (the package is a 1.x InfluxDB). */
export const INSTALL_COMMAND = 'apt-get install -y influxdb';

function hasInfluxd(): boolean {
  return spawnSync('influxd', ['version'], { stdio: 'ignore' }).status === 0;
}

/**
 * Makes sure `influxd` is on PATH: installs Debian's `influxdb` when running as root on Debian,
 * otherwise throws an error that names the command to run.
 */
export function ensureInfluxd(): void {
  if (hasInfluxd()) return;
  const root = process.getuid?.() === 0;
  if (!root || !existsSync('/etc/debian_version')) {
    throw new Error(`influxd is not installed: run \`sudo apt-get update && sudo ${INSTALL_COMMAND}\``);
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  let install = spawnSync('apt-get', ['install', '-y', 'influxdb'], { stdio: 'inherit', env });
  if (install.status !== 0) {
    // A fresh machine has no package lists yet.
    spawnSync('apt-get', ['update'], { stdio: 'inherit', env });
    install = spawnSync('apt-get', ['install', '-y', 'influxdb'], { stdio: 'inherit', env });
  }
  if (install.status !== 0 || !hasInfluxd()) {
    throw new Error(`installing influxdb failed: run \`apt-get update && ${INSTALL_COMMAND}\` and retry`);
  }
}

export interface InfluxdOptions {
  /** HTTP port on 127.0.0.1; a free one when absent. */
  readonly port?: number;
  /** Holds meta/, data/, wal/, the config and the server's log. */
  readonly dataDir: string;
  /** Database created after start (idempotent). */
  readonly db?: string;
  /** How long to wait for `/ping` after spawning, ms. */
  readonly startTimeoutMs?: number;
}

export interface Influxd {
  readonly url: string;
  readonly port: number;
  /** SIGTERM and wait for the exit (a clean shutdown). */
  stop(): Promise<void>;
  /** SIGKILL and wait: a crash, for durability tests. */
  kill(): Promise<void>;
  /** Starts the server again on the same directory and port. */
  start(): Promise<void>;
}

/** A free TCP port on 127.0.0.1 (the kernel picks it; we release it for influxd to bind). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() =>
        typeof addr === 'object' && addr !== null ? resolve(addr.port) : reject(new Error('no port')),
      );
    });
  });
}

/**
 * A project-local influxd config: everything under `dataDir`, HTTP and the RPC (backup) service
 * on loopback only, no reporting, no other listeners, quiet logs.
 */
export function influxdConfig(dataDir: string, httpPort: number, rpcPort: number): string {
  return `reporting-disabled = true
bind-address = "127.0.0.1:${rpcPort}"

[meta]
  dir = "${join(dataDir, 'meta')}"

[data]
  dir = "${join(dataDir, 'data')}"
  wal-dir = "${join(dataDir, 'wal')}"
  query-log-enabled = false
  # A city has a million meters: the 1.x default of 100,000 values per tag key would refuse writes.
  max-values-per-tag = 0

[monitor]
  store-enabled = false

[http]
  enabled = true
  bind-address = "127.0.0.1:${httpPort}"
  auth-enabled = false
  log-enabled = false

[logging]
  level = "warn"

[subscriber]
  enabled = false

[continuous_queries]
  log-enabled = false
`;
}

/**
 * Starts a real influxd 1.x on 127.0.0.1 with its own config under `dataDir`, waits until it
 * answers `/ping` and creates `db`. Every integration test and `npm start` use this.
 */
export async function startInfluxd(opts: InfluxdOptions): Promise<Influxd> {
  mkdirSync(opts.dataDir, { recursive: true });
  const configPath = join(opts.dataDir, 'influxd.conf');
  const logPath = join(opts.dataDir, 'influxd.log');
  let port = opts.port ?? (await freePort());
  let child: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();
  let started = false;

  async function spawnOnce(): Promise<void> {
    // Another server on the port would answer our /ping and pass for ours.
    if (!(await portFree(port))) throw new Error(`influxd cannot start: 127.0.0.1:${port} is in use`);
    writeFileSync(configPath, influxdConfig(opts.dataDir, port, await freePort()));
    const out = openSync(logPath, 'a');
    const proc = spawn('influxd', ['-config', configPath], { stdio: ['ignore', out, out] });
    closeSync(out);
    child = proc;
    exited = new Promise((resolve) => proc.once('exit', () => resolve()));
    const deadline = Date.now() + (opts.startTimeoutMs ?? 30_000);
    while (Date.now() < deadline) {
      if (proc.exitCode !== null || proc.signalCode !== null) {
        throw new Error(`influxd exited at start (${proc.exitCode ?? proc.signalCode}): ${tail(logPath)}`);
      }
      if (await ping(port)) return;
      await sleep(100);
    }
    proc.kill('SIGKILL');
    await exited;
    throw new Error(`influxd did not answer /ping within the timeout: ${tail(logPath)}`);
  }

  async function start(): Promise<void> {
    try {
      await spawnOnce();
    } catch (err) {
      // Another process may have taken the port between probe and bind; only a port we chose
      // ourselves may change, and only before the first successful start.
      if (opts.port !== undefined || started) throw err;
      port = await freePort();
      await spawnOnce();
    }
    started = true;
    if (opts.db !== undefined) await query(port, `CREATE DATABASE "${opts.db.replaceAll('"', '\\"')}"`);
  }

  async function signal(sig: NodeJS.Signals): Promise<void> {
    const proc = child;
    if (proc === null || proc.exitCode !== null || proc.signalCode !== null) return;
    proc.kill(sig);
    const timer = setTimeout(() => proc.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(timer);
  }

  await start();
  return {
    get url() {
      return `http://127.0.0.1:${port}`;
    },
    get port() {
      return port;
    },
    stop: () => signal('SIGTERM'),
    kill: () => signal('SIGKILL'),
    start,
  };
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

async function ping(port: number): Promise<boolean> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/ping`, { signal: AbortSignal.timeout(1000) });
    return res.status === 204;
  } catch {
    return false;
  }
}

async function query(port: number, q: string): Promise<void> {
  const res = await fetch(`http://127.0.0.1:${port}/query`, {
    method: 'POST',
    body: new URLSearchParams({ q }),
  });
  if (!res.ok) throw new Error(`influxd refused ${q}: ${res.status} ${await res.text()}`);
}

function tail(path: string): string {
  try {
    return readFileSync(path, 'utf8').slice(-2000);
  } catch {
    return '(no log)';
  }
}
