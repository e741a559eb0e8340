// What authentication, the ACL and the sink hand-off cost per message: QoS 1 publishes through
// our broker with an immediately answering sink, against plain aedes (no auth, no ACL) in the
// same run, alternating so both see the same machine noise. The broker CPU per acknowledged
// message is the robust figure on a shared machine; rates depend on the load generators too.
// Run alone: `flock /tmp/heavy.lock npx tsx broker/bench/publish-overhead.ts [rounds]`.
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

const rounds = Math.min(Math.max(Number(process.argv[2] ?? 2), 1), 5);
const DEVICES = 50;
const LOAD_PROCESSES = 2;
const WINDOW = 20;
const RUN_MS = 8000;
const dir = mkdtempSync(join(tmpdir(), 'publish-overhead-'));

interface RunResult {
  readonly acked: number;
  readonly msgsPerS: number;
  readonly brokerCpuUsPerMsg: number;
}

function loadOnce(port: number, file: string): Promise<{ acked: number; seconds: number }> {
  const client = join(import.meta.dirname, 'publish-client.ts');
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', client, String(port), file, String(RUN_MS), String(WINDOW)],
      { timeout: 120_000 },
      (err, stdout, stderr) =>
        err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(JSON.parse(stdout)),
    );
  });
}

async function load(port: number, files: string[]): Promise<RunResult> {
  const cpu0 = process.cpuUsage();
  const parts = await Promise.all(files.map((f) => loadOnce(port, f)));
  const cpu = process.cpuUsage(cpu0);
  const acked = parts.reduce((a, p) => a + p.acked, 0);
  const seconds = Math.max(...parts.map((p) => p.seconds));
  return {
    acked,
    msgsPerS: Math.round(acked / seconds),
    brokerCpuUsPerMsg: Number(((cpu.user + cpu.system) / acked).toFixed(2)),
  };
}

async function plainAedes(files: string[]): Promise<RunResult> {
  const aedes = new Aedes();
  await aedes.listen();
  const server = createServer(aedes.handle);
  await new Promise<void>((r) => server.listen({ port: 0, host: '127.0.0.1' }, r));
  try {
    return await load((server.address() as { port: number }).port, files);
  } finally {
    await new Promise<void>((r) => aedes.close(() => r()));
    await new Promise<void>((r) => server.close(() => r()));
  }
}

async function ourBroker(registry: Registry, files: string[]): Promise<RunResult> {
  const broker = createBroker({
    registry,
    sink: { receive: async () => 'stored' },
    logger: pino({ level: 'silent' }),
    metrics: new PromRegistry(),
    revocationSweepMs: 0,
  });
  const { tcpPort } = await broker.listen({ tcpPort: 0, host: '127.0.0.1' });
  try {
    return await load(tcpPort, files);
  } finally {
    await broker.close();
  }
}

try {
  const registry = Registry.open(join(dir, 'registry.sqlite'));
  const creds = await registry.addDevices(
    Array.from({ length: DEVICES }, (_, i) => ({
      id: `cam-${i}`,
      type: 'camera' as const,
      intersectionId: 'I-1',
      approach: 'N' as const,
    })),
  );
  const per = Math.ceil(DEVICES / LOAD_PROCESSES);
  const files = Array.from({ length: LOAD_PROCESSES }, (_, i) => {
    const f = join(dir, `credentials-${i}.json`);
    writeFileSync(f, JSON.stringify(creds.slice(i * per, (i + 1) * per)), { mode: 0o600 });
    return f;
  });
  const runs: { baseline: RunResult; broker: RunResult }[] = [];
  for (let i = 0; i < rounds; i++)
    runs.push({ baseline: await plainAedes(files), broker: await ourBroker(registry, files) });
  registry.close();
  const sum = (k: 'baseline' | 'broker', f: keyof RunResult) => runs.reduce((a, r) => a + r[k][f], 0);
  const result = {
    devices: DEVICES,
    loadProcesses: LOAD_PROCESSES,
    window: WINDOW,
    runMs: RUN_MS,
    runs,
    cpuPerMsgRatio: Number(
      (sum('broker', 'brokerCpuUsPerMsg') / sum('baseline', 'brokerCpuUsPerMsg')).toFixed(2),
    ),
    rateRatio: Number((sum('broker', 'msgsPerS') / sum('baseline', 'msgsPerS')).toFixed(2)),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
