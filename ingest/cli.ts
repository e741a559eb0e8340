import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { Journal } from './journal.ts';

type Env = Readonly<Record<string, string | undefined>>;

function printLine(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

/**
 * `city spool status` and `city spool dead-letters`: look into the ingest spool of the platform
 * under DATA_DIR (safe while it runs: the spool is a WAL database). Output is JSON lines.
 */
export function registerIngestCommands(program: Command, env: Env = process.env): void {
  const withJournal = (fn: (journal: Journal) => void) => () => {
    const path = join(resolve(env.DATA_DIR ?? '.data'), 'spool.sqlite');
    if (!existsSync(path)) {
      process.stderr.write(`error: no spool at ${path} (has the platform run with this DATA_DIR?)\n`);
      process.exitCode = 1;
      return;
    }
    const journal = Journal.open(path);
    try {
      fn(journal);
    } finally {
      journal.close();
    }
  };

  const spool = program.command('spool').description('the ingest spool between the broker and InfluxDB');
  spool
    .command('status')
    .description('lines waiting for InfluxDB and lines it refused')
    .action(
      withJournal((j) => {
        printLine({
          spoolDepth: j.depth(),
          deadLetters: j.deadLetterCount(),
          oldest: j.peek(1)[0]?.line ?? null,
        });
      }),
    );
  spool
    .command('dead-letters')
    .description('lines InfluxDB refused, newest first, with its message')
    .option('--limit <n>', 'how many', '20')
    .action((options: { limit: string }) =>
      withJournal((j) => {
        const limit = Number.parseInt(options.limit, 10);
        for (const d of j.deadLetters(Number.isFinite(limit) && limit > 0 ? limit : 20)) printLine(d);
      })(),
    );
}
