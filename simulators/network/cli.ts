import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { type Command, InvalidArgumentError } from 'commander';
import { generateCity } from './generate-network.ts';
import { loadNetwork } from './parse-network.ts';
import { toGeoJson } from './to-geo-json.ts';
import { writeNetworkFile } from './write-network.ts';

function count(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a non-negative integer');
  return n;
}

function share(value: string): number {
  const n = Number(value);
  if (!(n >= 0 && n <= 1)) throw new InvalidArgumentError('expected a number from 0 to 1');
  return n;
}

interface GenerateOptions {
  out: string;
  intersections: number;
  seed: number;
  buildings?: number;
  meters?: number;
  metersPerGateway?: number;
  gatewayShare?: number;
  geojson?: string;
}

/**
 * `city network generate` (a district, streamed to disk whatever its size) and `city network
 * check` (schema and cross-references; the message points at the offending element). One JSON
 * line on success; a message on stderr and exit code 1 on failure.
 */
export function registerNetworkCommands(program: Command): void {
  const network =
    program.commands.find((c) => c.name() === 'network') ??
    program.command('network').description('the city network file (format city-network v1)');
  if (!network.commands.some((c) => c.name() === 'generate')) {
    network
      .command('generate')
      .description('generate a Moscow demo district: street grid, signals, cameras, buildings and meters')
      .requiredOption('--out <file>', 'network JSON to write')
      .option('--intersections <n>', 'junctions', count, 100)
      .option('--seed <n>', 'seed (same seed, same city)', count, 1)
      .option(
        '--buildings <n>',
        'buildings, each with a water and an electricity meter (default 5 per junction)',
        count,
      )
      .option('--meters <n>', 'total meters instead of --buildings', count)
      .option('--meters-per-gateway <n>', 'meters per gateway', count)
      .option('--gateway-share <x>', 'share of buildings whose meters report through a gateway', share)
      .option('--geojson <file>', 'also write the map features as GeoJSON')
      .action(async (o: GenerateOptions) => {
        try {
          const city = generateCity({
            intersections: o.intersections,
            seed: o.seed,
            ...(o.buildings === undefined ? {} : { buildings: o.buildings }),
            ...(o.meters === undefined ? {} : { meters: o.meters }),
            ...(o.metersPerGateway === undefined ? {} : { metersPerGateway: o.metersPerGateway }),
            ...(o.gatewayShare === undefined ? {} : { gatewayShare: o.gatewayShare }),
          });
          await writeNetworkFile(o.out, city);
          if (o.geojson) {
            await writeJson(o.geojson, toGeoJson(city.network, city.buildings()));
          }
          const n = city.network;
          process.stdout.write(
            `${JSON.stringify({
              out: o.out,
              intersections: n.intersections.length,
              links: n.links.length,
              cameras: n.cameras.length,
              gateways: n.gateways.length,
              buildings: city.buildingCount,
              meters: city.buildingCount * 2,
            })}\n`,
          );
        } catch (err) {
          process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
          process.exitCode = 1;
        }
      });
  }
  if (!network.commands.some((c) => c.name() === 'check')) {
    network
      .command('check <file>')
      .description('validate a network file: schema and every cross-reference')
      .action(async (file: string) => {
        try {
          const n = await loadNetwork(file);
          process.stdout.write(
            `${JSON.stringify({ ok: true, file, intersections: n.intersections.length, links: n.links.length })}\n`,
          );
        } catch (err) {
          process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
          process.exitCode = 1;
        }
      });
  }
}

async function writeJson(path: string, value: unknown): Promise<void> {
  await mkdir(dirname(resolve(path)), { recursive: true });
  await writeFile(path, `${JSON.stringify(value)}\n`);
}
