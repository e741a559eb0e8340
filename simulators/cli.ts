import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { type Command, InvalidArgumentError } from 'commander';
import { REGISTRY_FILE, Registry } from '../broker/index.ts';
import type { CityNetwork } from '../protocol/index.ts';
import { connectingDevices } from './city/city-devices.ts';
import { provisionCity } from './city/provision-city.ts';
import { DEVICES_PER_PROCESS, startSimulatedCity } from './city/start-simulated-city.ts';
import { generateNetwork } from './network/generate-network.ts';
import { loadNetwork } from './network/parse-network.ts';

type Env = Readonly<Record<string, string | undefined>>;

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a non-negative integer');
  return n;
}

function positiveNumber(value: string): number {
  const n = Number(value);
  if (!(n > 0) || !Number.isFinite(n)) throw new InvalidArgumentError('expected a positive number');
  return n;
}

function writeJson(path: string, value: unknown): void {
  mkdirSync(dirname(resolve(path)), { recursive: true });
  writeFileSync(path, `${JSON.stringify(value)}\n`);
}

interface SimulateOptions {
  broker: string;
  intersections: number;
  meters?: number;
  speed: number;
  seed: number;
  dataDir?: string;
  network?: string;
  shards?: number;
  demand: number;
}

/** `city simulate`: the simulated city against a running broker (`city network` is network/cli.ts). */
export function registerSimulatorCommands(program: Command, env: Env = process.env): void {
  program
    .command('simulate')
    .description(
      'run the simulated city: provision its devices in DATA_DIR, then connect them to the broker until SIGINT',
    )
    .requiredOption(
      '--broker <url>',
      'MQTT broker, e.g. mqtt://127.0.0.1:1883; several comma-separated: shards connect round-robin',
    )
    .option('--intersections <n>', 'junctions of a generated network', positiveInt, 100)
    .option('--meters <n>', 'utility meters of a generated network', positiveInt)
    .option('--speed <x>', 'city seconds per wall second', positiveNumber, 1)
    .option('--seed <n>', 'seed of network and devices', positiveInt, 1)
    .option('--data-dir <dir>', 'registry, device credentials and network.json (default DATA_DIR or .data)')
    .option('--network <file>', 'network file (default DATA_DIR/network.json, generated when missing)')
    .option(
      '--shards <n>',
      'child processes holding the MQTT connections (default: by device count)',
      positiveInt,
    )
    .option('--demand <x>', 'traffic demand multiplier', positiveNumber, 1)
    .action(async (opts: SimulateOptions) => {
      try {
        await simulate(opts, env);
      } catch (err) {
        process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
        process.exitCode = 1;
      }
    });
}

function summary(net: CityNetwork) {
  return {
    intersections: net.intersections.length,
    links: net.links.length,
    cameras: net.cameras.length,
    gateways: net.gateways.length,
    buildings: net.buildings.length,
    meters: net.buildings.reduce((s, b) => s + b.meters.length, 0),
  };
}

async function simulate(opts: SimulateOptions, env: Env): Promise<void> {
  const dataDir = resolve(opts.dataDir ?? env.DATA_DIR ?? '.data');
  const networkPath = opts.network ?? join(dataDir, 'network.json');
  let network: CityNetwork;
  if (existsSync(networkPath)) {
    network = await loadNetwork(networkPath);
  } else {
    network = generateNetwork({
      intersections: opts.intersections,
      seed: opts.seed,
      ...(opts.meters === undefined ? {} : { meters: opts.meters }),
    });
    writeJson(networkPath, network);
  }
  const registry = Registry.open(join(dataDir, REGISTRY_FILE));
  let provisioned: Awaited<ReturnType<typeof provisionCity>>;
  try {
    provisioned = await provisionCity(registry, network, { dataDir });
  } finally {
    registry.close();
  }
  const connecting = connectingDevices(network).length;
  const brokerUrls = opts.broker.split(',').filter(Boolean);
  const shards =
    opts.shards ??
    Math.max(
      connecting > DEVICES_PER_PROCESS ? Math.ceil(connecting / DEVICES_PER_PROCESS) : 0,
      brokerUrls.length > 1 ? brokerUrls.length : 0,
    );
  const log = (o: object) =>
    process.stdout.write(`${JSON.stringify({ t: new Date().toISOString(), ...o })}\n`);
  log({
    event: 'start',
    network: networkPath,
    ...summary(network),
    connecting,
    shards,
    added: provisioned.added,
    reused: provisioned.reused,
  });

  const city = startSimulatedCity({
    brokerUrl: brokerUrls[0] ?? opts.broker,
    brokerUrls,
    network,
    credentials: provisioned.credentials,
    speed: opts.speed,
    seed: opts.seed,
    shards,
    demandScale: opts.demand,
  });
  let lastMessages = 0;
  let lastCpu = process.cpuUsage();
  let lastAt = Date.now();
  const every = setInterval(() => {
    const s = city.stats();
    const now = Date.now();
    const cpu = process.cpuUsage(lastCpu);
    log({
      event: 'stats',
      cityTime: new Date(s.core.simTimeMs).toISOString(),
      lagMs: Math.round(s.lagMs),
      connected: `${s.fleet.connected}/${s.fleet.devices}`,
      msgPerS: Math.round(((s.core.messages - lastMessages) * 1000) / (now - lastAt)),
      plansAccepted: s.core.plansAccepted,
      plansRejected: s.core.plansRejected,
      droppedOffline: s.fleet.droppedOffline,
      reconnects: s.fleet.drops,
      // CPU of this process (the model and, without shards, every connection), % of one core.
      cpuPct: Math.round(((cpu.user + cpu.system) / 1000 / (now - lastAt)) * 100),
    });
    lastMessages = s.core.messages;
    lastCpu = process.cpuUsage();
    lastAt = now;
  }, 10_000);

  await new Promise<void>((done) => {
    const stop = (signal: string) => {
      log({ event: 'stopping', signal });
      clearInterval(every);
      city.stop().then(done, done);
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
  log({ event: 'stopped' });
}
