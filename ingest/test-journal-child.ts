import { Journal } from './journal.ts';
import { ThreadedJournal } from './threaded-journal.ts';

// Child process for journal.int.test.ts: appends numbered lines as fast as it can and reports
// each acknowledged count on stdout, until its parent kills it (or 100,000 lines, a bound).
const [path, sync, mode] = process.argv.slice(2);
if (path === undefined) throw new Error('usage: test-journal-child.ts <path> [FULL|NORMAL] [thread]');
const options = { synchronous: sync === 'NORMAL' ? 'NORMAL' : 'FULL' } as const;
const journal = mode === 'thread' ? ThreadedJournal.open(path, options) : Journal.open(path, options);
let next = 0;
while (next < 100_000) {
  const lines = Array.from({ length: 10 }, (_, i) => `l${next + i}`);
  await Promise.all([journal.append(lines.slice(0, 5)), journal.append(lines.slice(5))]);
  next += 10;
  process.stdout.write(`${next}\n`);
}
