import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { Registry } from '../broker/registry.ts';
import type { ServiceRight } from '../protocol/identity.ts';

export interface ServiceCredentials {
  readonly id: string;
  readonly secret: string;
}

/**
 * The platform's own MQTT accounts (control loop, dashboard): created on first start, their
 * secrets kept in a 0600 file in the data dir so a restart reuses them. When the file and the
 * registry disagree (one of them was deleted), a fresh account is issued: registry ids are never
 * reused, so the new id carries a suffix.
 */
export async function ensureServiceAccount(
  registry: Registry,
  file: string,
  name: string,
  rights: readonly ServiceRight[],
): Promise<ServiceCredentials> {
  const all: Record<string, ServiceCredentials> = existsSync(file)
    ? JSON.parse(readFileSync(file, 'utf8'))
    : {};
  const known = all[name];
  if (known !== undefined) {
    const check = await registry.check(known.id, known.secret);
    const hasRights = check.ok && rights.every((r) => check.identity.rights.includes(r));
    if (hasRights) return known;
  }
  const id = known === undefined ? `svc-${name}` : `svc-${name}-${randomBytes(3).toString('hex')}`;
  const created = await registry.addService(id, rights);
  all[name] = { id: created.id, secret: created.secret };
  writeFileSync(file, `${JSON.stringify(all, null, 2)}\n`, { mode: 0o600 });
  return all[name];
}
