import { join } from 'node:path';
import type { Approach, CityNetwork, DeviceType } from '../../protocol/index.ts';
import { type CityDevice, cityDevices } from './city-devices.ts';
import { loadCredentials, saveCredentials } from './credentials-file.ts';

/** The part of the broker's registry provisioning needs (broker/registry.ts implements it). */
export interface DeviceRegistry {
  addDevices(
    specs: readonly {
      id: string;
      type: DeviceType;
      intersectionId?: string;
      approach?: Approach;
      gatewayId?: string;
      meterKind?: 'water' | 'electricity';
    }[],
  ): Promise<{ id: string; secret: string }[]>;
  listDevices(filter?: { type?: DeviceType }): readonly { id: string; revokedAt: number | null }[];
}

export interface ProvisionResult {
  /** Secret of every device of the network. */
  readonly credentials: Map<string, string>;
  readonly added: number;
  readonly reused: number;
  readonly credentialsPath: string;
}

export const CREDENTIALS_FILE = 'device-credentials.json';

/** Provisions in chunks so one transaction stays short (the broker shares the file). */
const CHUNK = 5000;

/**
 * Registers every device of the network that the registry does not know yet, and keeps all
 * secrets in `{dataDir}/device-credentials.json` (0600). Devices already registered and present
 * in that file are reused as they are. A registered device whose secret was lost, or one that
 * was revoked, cannot be recovered (ids are never reused): that is an error naming them.
 */
export async function provisionCity(
  registry: DeviceRegistry,
  network: CityNetwork,
  opts: { dataDir: string },
): Promise<ProvisionResult> {
  const credentialsPath = join(opts.dataDir, CREDENTIALS_FILE);
  const secrets = loadCredentials(credentialsPath);
  const known = new Map(registry.listDevices().map((d) => [d.id, d.revokedAt]));
  const devices = cityDevices(network);
  const missing: CityDevice[] = [];
  const lost: string[] = [];
  let reused = 0;
  for (const d of devices) {
    if (!known.has(d.id)) missing.push(d);
    else if (known.get(d.id) !== null || !secrets.has(d.id)) lost.push(d.id);
    else reused++;
  }
  if (lost.length > 0) {
    throw new Error(
      `${lost.length} device(s) are registered but revoked or without a stored secret (${lost.slice(0, 5).join(', ')}${lost.length > 5 ? ', …' : ''}); ` +
        `use a fresh data dir or a network with new ids`,
    );
  }
  for (let i = 0; i < missing.length; i += CHUNK) {
    const created = await registry.addDevices(missing.slice(i, i + CHUNK).map(toSpec));
    for (const c of created) secrets.set(c.id, c.secret);
    // Saved after every chunk: a crash half-way leaves no registered device without its secret.
    saveCredentials(credentialsPath, secrets);
  }
  if (missing.length === 0 && devices.length > 0) saveCredentials(credentialsPath, secrets);
  const wanted = new Map(devices.map((d) => [d.id, secrets.get(d.id) as string]));
  return { credentials: wanted, added: missing.length, reused, credentialsPath };
}

function toSpec(d: CityDevice) {
  switch (d.type) {
    case 'camera':
      return { id: d.id, type: d.type, intersectionId: d.intersectionId, approach: d.approach };
    case 'signal':
      return { id: d.id, type: d.type, intersectionId: d.intersectionId };
    case 'gateway':
      return { id: d.id, type: d.type };
    case 'meter':
      return d.gatewayId === undefined
        ? { id: d.id, type: d.type, meterKind: d.meterKind }
        : { id: d.id, type: d.type, meterKind: d.meterKind, gatewayId: d.gatewayId };
  }
}
