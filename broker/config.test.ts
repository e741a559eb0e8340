import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBrokerConfig } from './config.ts';

describe('loadBrokerConfig', () => {
  it('defaults DATA_DIR to .data and puts the registry in it', () => {
    const c = loadBrokerConfig({});
    expect(c.dataDir).toBe(resolve('.data'));
    expect(c.registryPath).toBe(resolve('.data', 'registry.sqlite'));
  });

  it('honours DATA_DIR and resolves it to an absolute path', () => {
    expect(loadBrokerConfig({ DATA_DIR: '/srv/city' }).registryPath).toBe('/srv/city/registry.sqlite');
    expect(loadBrokerConfig({ DATA_DIR: 'rel/dir' }).dataDir).toBe(resolve('rel/dir'));
  });

  it('is frozen', () => {
    expect(Object.isFrozen(loadBrokerConfig({}))).toBe(true);
  });

  it('refuses an empty DATA_DIR with a message naming it', () => {
    expect(() => loadBrokerConfig({ DATA_DIR: '' })).toThrow(/DATA_DIR: DATA_DIR may not be empty/);
  });
});
