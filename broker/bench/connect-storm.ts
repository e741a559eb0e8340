// Reconnect storm: N registered devices connect at once (as after a broker restart), against
// our broker (scrypt verify + SQLite lookup + ACL identity + status publish) and, in the same
// run, against plain aedes without authentication as the baseline. Prints one JSON result.
// Run alone: `flock /tmp/heavy.lock npx tsx broker/bench/connect-storm.ts [devices]`.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Aedes } from 'aedes';
import { pino } from 'pino';
import { Registry as PromRegistry } from 'prom-client';
import { createBroker } from '../create-broker.ts';
import { Registry } from '../registry.ts';

const devices = Math.min(Math.max(Number(process.argv[2] ?? 2000), 1), 15_000);
const dir = mkdtempSync(join(tmpdir(), 'connect-storm-'));

interface StormResult {
  readonly connected: number;
  readonly seconds: number;
  /** Broker-process CPU (all threads, so scrypt on libuv's pool counts) per connect + disconnect. */
  readonly brokerCpuMsPerClient: number;
}

function storm(port: number, credentialsFile: string): Promise<StormResult> {
  const cpu0 = process.cpuUsage();
  const client = join(import.meta.dirname, 'connect-storm-client.ts');
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', client, String(port), credentialsFile],
      { timeout: 600_000 },
      (err, stdout, stderr) => {
        if (err) return reject(new Error(`${err.message}\n${stderr}`));
        const cpu = process.cpuUsage(cpu0);
        const r = JSON.parse(stdout) as { connected: number; seconds: number };
        resolve({
          ...r,
          brokerCpuMsPerClient: Number(((cpu.user + cpu.system) / 1000 / r.connected).toFixed(3)),
        });
      },
    );
  });
}

try {
  const registry = Registry.open(join(dir, 'registry.sqlite'));
  const provisionStart = performance.now();
  const creds = await registry.addDevices(
    Array.from({ length: devices }, (_, i) => ({ id: `m-${i}`, type: 'meter' as const })),
  );
  const provisionSeconds = (performance.now() - provisionStart) / 1000;
  const credentialsFile = join(dir, 'credentials.json');
  writeFileSync(credentialsFile, JSON.stringify(creds), { mode: 0o600 });

  const plain = new Aedes();
  await plain.listen();
  const server = createServer(plain.handle);
  await new Promise<void>((r) => server.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, r));
  const baseline = await storm((server.address() as { port: number }).port, credentialsFile);
  await new Promise<void>((r) => plain.close(() => r()));
  await new Promise<void>((r) => server.close(() => r()));

  const broker = createBroker({
    registry,
    sink: { receive: async () => 'stored' },
    logger: pino({ level: 'silent' }),
    metrics: new PromRegistry(),
    revocationSweepMs: 0,
  });
  const { tcpPort } = await broker.listen({ tcpPort: 0, host: '127.0.0.1' });
  const ours = await storm(tcpPort, credentialsFile);
  await broker.close();
  registry.close();

  const result = {
    devices,
    provisionSeconds: Number(provisionSeconds.toFixed(2)),
    baselineAedesNoAuth: baseline,
    broker: ours,
    wallRatio: Number((ours.seconds / baseline.seconds).toFixed(2)),
    cpuRatio: Number((ours.brokerCpuMsPerClient / baseline.brokerCpuMsPerClient).toFixed(2)),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
