import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Registry } from '../../broker/index.ts';
import { cityDevices, connectingDevices } from './city-devices.ts';
import { CREDENTIALS_FILE, provisionCity } from './provision-city.ts';
import { tinyCity } from './tiny-city.ts';

let dir: string;
let registry: Registry;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'provision-'));
  registry = Registry.open(join(dir, 'registry.sqlite'));
});

afterEach(() => {
  registry.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('provisioning the simulated city', () => {
  it('registers every device with its type, intersection, approach, gateway and meter kind', async () => {
    const network = tinyCity(2);
    await provisionCity(registry, network, { dataDir: dir });
    const byId = new Map(registry.listDevices().map((d) => [d.id, d]));
    expect(byId.size).toBe(cityDevices(network).length);
    expect(byId.get('cam-I2-W')).toMatchObject({ type: 'camera', intersectionId: 'I2', approach: 'W' });
    expect(byId.get('sig-I1')).toMatchObject({ type: 'signal', intersectionId: 'I1' });
    expect(byId.get('m-B1-w')).toMatchObject({ type: 'meter', gatewayId: 'gw-1', meterKind: 'water' });
    expect(byId.get('m-B2-e')).toMatchObject({ type: 'meter', gatewayId: null, meterKind: 'electricity' });
    // Meters behind a gateway are registered but hold no connection.
    expect(connectingDevices(network).map((d) => d.id)).not.toContain('m-B1-w');
  });

  it('adds only the devices a grown network brings', async () => {
    await provisionCity(registry, tinyCity(1), { dataDir: dir });
    const grown = await provisionCity(registry, tinyCity(2), { dataDir: dir });
    expect(grown).toMatchObject({ added: 5, reused: 9 }); // I2's signal and four cameras
  });

  it('refuses to run devices whose secrets were lost, naming them', async () => {
    await provisionCity(registry, tinyCity(1), { dataDir: dir });
    rmSync(join(dir, CREDENTIALS_FILE));
    await expect(provisionCity(registry, tinyCity(1), { dataDir: dir })).rejects.toThrow(
      /without a stored secret \(gw-1/,
    );
  });
});
