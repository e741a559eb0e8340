import { join, resolve } from 'node:path';
import { z } from 'zod';

const BrokerEnv = z.object({
  DATA_DIR: z.string().min(1, 'DATA_DIR may not be empty').default('.data'),
});

/** What the broker's command line needs from the environment, parsed once and frozen. */
export interface BrokerCliConfig {
  readonly dataDir: string;
  /** `${DATA_DIR}/registry.sqlite`, the file the broker and the `city` CLI share. */
  readonly registryPath: string;
}

export const REGISTRY_FILE = 'registry.sqlite';

/** Parses the environment; throws one readable error naming every bad variable. */
export function loadBrokerConfig(env: Readonly<Record<string, string | undefined>>): BrokerCliConfig {
  const parsed = BrokerEnv.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`invalid configuration:\n${lines.join('\n')}`);
  }
  const dataDir = resolve(parsed.data.DATA_DIR);
  return Object.freeze({ dataDir, registryPath: join(dataDir, REGISTRY_FILE) });
}
