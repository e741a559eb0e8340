import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';

/**
 * The devices' "flash": each simulated device's secret, kept between runs in a 0600 JSON file
 * so a restarted city reconnects with the credentials it was provisioned with.
 */
const CredentialsFile = z
  .object({
    format: z.literal('city-credentials'),
    version: z.literal(1),
    secrets: z.record(z.string(), z.string().min(1)),
  })
  .strict();

export type SecretsById = ReadonlyMap<string, string>;

export function loadCredentials(path: string): Map<string, string> {
  if (!existsSync(path)) return new Map();
  const parsed = CredentialsFile.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) throw new Error(`${path} is not a city credentials file: ${parsed.error.message}`);
  return new Map(Object.entries(parsed.data.secrets));
}

/** Writes atomically (temp file + rename) and readable by the owner only. */
export function saveCredentials(path: string, secrets: SecretsById): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  const body = { format: 'city-credentials', version: 1, secrets: Object.fromEntries(secrets) };
  writeFileSync(tmp, `${JSON.stringify(body)}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
}
