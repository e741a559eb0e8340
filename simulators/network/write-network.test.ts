import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { registerNetworkCommands } from './cli.ts';
import { generateCity, generateNetwork } from './generate-network.ts';
import { loadNetwork } from './parse-network.ts';
import { writeNetworkFile } from './write-network.ts';

describe('writing network files', () => {
  let dir = '';
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'network-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('streams a generated city to a file that loads back as the same network', async () => {
    const options = { intersections: 9, seed: 3, buildings: 4321 };
    const path = join(dir, 'sub', 'network.json');
    await writeNetworkFile(path, generateCity(options));
    expect(await loadNetwork(path)).toEqual(generateNetwork(options));
  });

  it('writes a materialised network as well', async () => {
    const net = generateNetwork({ intersections: 4, seed: 1, buildings: 0 });
    const path = join(dir, 'n.json');
    await writeNetworkFile(path, net);
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual(net);
  });

  it('generates and checks files from the command line', async () => {
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const program = new Command('city').exitOverride();
      registerNetworkCommands(program);
      const path = join(dir, 'cli.json');
      await program.parseAsync(
        ['network', 'generate', '--out', path, '--intersections', '6', '--seed', '2'],
        {
          from: 'user',
        },
      );
      expect(JSON.parse(String(out.mock.calls.at(-1)?.[0]))).toMatchObject({
        intersections: 6,
        buildings: 30,
      });
      await program.parseAsync(['network', 'check', path], { from: 'user' });
      expect(JSON.parse(String(out.mock.calls.at(-1)?.[0]))).toMatchObject({ ok: true, intersections: 6 });

      const bad = new URL('./samples/invalid-unknown-lane-group.json', import.meta.url).pathname;
      await program.parseAsync(['network', 'check', bad], { from: 'user' });
      expect(String(err.mock.calls.at(-1)?.[0])).toContain('unknown lane group "N-X"');
      expect(process.exitCode).toBe(1);
    } finally {
      process.exitCode = 0;
      out.mockRestore();
      err.mockRestore();
    }
  });
});
