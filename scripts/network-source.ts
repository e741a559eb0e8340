import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { CityNetwork } from '../protocol/network.ts';
import { generateNetwork, loadNetwork } from '../simulators/index.ts';

export interface NetworkSource {
  /** A city's own network file (format city-network v1); null: the generated demo district. */
  readonly file: string | null;
  readonly dataDir: string;
  readonly intersections: number;
  readonly seed: number;
}

/**
 * The network every part of the platform shares: the city's own file when one is configured,
 * otherwise the demo district, generated once per size and seed and kept in the data dir so the
 * simulator, the control loop and the dashboard always agree on it.
 */
export async function resolveNetwork(src: NetworkSource): Promise<{ network: CityNetwork; path: string }> {
  if (src.file !== null) return { network: await loadNetwork(src.file), path: src.file };
  const path = join(src.dataDir, `network-${src.intersections}-s${src.seed}.json`);
  if (existsSync(path)) return { network: await loadNetwork(path), path };
  const network = generateNetwork({ intersections: src.intersections, seed: src.seed });
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(network));
  return { network, path };
}
