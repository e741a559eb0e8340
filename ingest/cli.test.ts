import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { registerIngestCommands } from './cli.ts';
import { Journal } from './journal.ts';

let dir: string;
let out: string[];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ingest-cli-'));
  out = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => {
    out.push(String(s));
    return true;
  });
});
afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
  rmSync(dir, { recursive: true, force: true });
});

async function city(...args: string[]): Promise<void> {
  const program = new Command('city').exitOverride();
  registerIngestCommands(program, { DATA_DIR: dir });
  await program.parseAsync(['node', 'city', ...args]);
}

describe('city spool', () => {
  it('status reports depth, dead letters and the oldest waiting line', async () => {
    const j = Journal.open(join(dir, 'spool.sqlite'));
    await j.append(['a v=1', 'b v=2', 'c v=3']);
    j.ack(j.peek(1)[0]?.id ?? -1, [{ line: 'bad', error: 'unable to parse' }], 5);
    j.close();
    await city('spool', 'status');
    expect(out.map((l) => JSON.parse(l))).toEqual([{ spoolDepth: 2, deadLetters: 1, oldest: 'b v=2' }]);
    await city('spool', 'dead-letters', '--limit', '5');
    expect(JSON.parse(out[1] ?? '')).toEqual({ line: 'bad', error: 'unable to parse', atMs: 5 });
  });

  it('fails cleanly when there is no spool under DATA_DIR', async () => {
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    await city('spool', 'status');
    expect(process.exitCode).toBe(1);
    expect(String(err.mock.calls[0]?.[0])).toMatch(/no spool/);
  });
});
