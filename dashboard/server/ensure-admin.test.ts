import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Registry } from '../../broker/registry.ts';
import { ensureAdmin } from './ensure-admin.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('ensureAdmin', () => {
  it('creates one admin on first run, prints its password once, and whose password works', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dash-admin-'));
    dirs.push(dir);
    const registry = Registry.open(join(dir, 'r.sqlite'));
    const lines: string[] = [];
    const created = await ensureAdmin(registry, (l) => lines.push(l));
    expect(created?.name).toBe('admin');
    expect(lines.join('\n')).toContain(created?.password ?? 'missing');
    expect(await registry.verifyOperator('admin', created?.password ?? '')).toEqual({
      name: 'admin',
      role: 'admin',
    });
    expect(await ensureAdmin(registry, (l) => lines.push(l))).toBeNull();
    expect(lines).toHaveLength(2);
    registry.close();
  });
});
