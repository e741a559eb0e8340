import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Journal } from './journal.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'journal-kill-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the appending child until it reported `atLeast` acknowledged lines, then SIGKILLs it. */
function appendThenKill(path: string, args: readonly string[], atLeast: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(import.meta.dirname, 'test-journal-child.ts'), path, ...args],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let acked = 0;
    let buf = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buf += chunk.toString();
      const lines = buf.split('\n');
      buf = lines.pop() ?? '';
      for (const l of lines) acked = Math.max(acked, Number(l));
      if (acked >= atLeast && child.exitCode === null && !child.killed) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(acked);
      else reject(new Error(`child exited with ${code} before it was killed`));
    });
  });
}

describe('Journal across SIGKILL', () => {
  for (const args of [['FULL'], ['NORMAL'], ['FULL', 'thread']]) {
    it(`keeps every acknowledged line, in order, when the process is killed (${args.join(', ')})`, async () => {
      const path = join(dir, 'spool.sqlite');
      const acked = await appendThenKill(path, args, 2000);
      const journal = Journal.open(path);
      const lines = journal.peek(200_000).map((l) => l.line);
      journal.close();
      expect(acked).toBeGreaterThanOrEqual(2000);
      // Everything acknowledged is there; at most the batch in flight at the kill is extra.
      expect(lines.length).toBeGreaterThanOrEqual(acked);
      expect(lines).toEqual(Array.from({ length: lines.length }, (_, i) => `l${i}`));
    });
  }
});
