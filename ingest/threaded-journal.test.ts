import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Journal } from './journal.ts';
import { ThreadedJournal } from './threaded-journal.ts';

let dir: string;
let path: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'threaded-journal-'));
  path = join(dir, 'spool.sqlite');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('ThreadedJournal (commits on a worker thread)', () => {
  it('keeps append order, peeks committed lines and acks up to an id', async () => {
    const j = ThreadedJournal.open(path);
    await j.append(['a', 'b']);
    await j.append(['c']);
    const all = j.peek(10);
    expect(all.map((l) => l.line)).toEqual(['a', 'b', 'c']);
    expect(j.depth()).toBe(3);
    expect(await j.ack(all[1]?.id ?? -1, [], 1)).toBe(2);
    expect(j.peek(10).map((l) => l.line)).toEqual(['c']);
    expect(j.depth()).toBe(1);
    await j.close();
  });

  it('an append is on disk when its promise resolves', async () => {
    const j = ThreadedJournal.open(path);
    await j.append(['durable']);
    const other = new Database(path, { readonly: true });
    expect(other.prepare('SELECT line FROM spool').pluck().all()).toEqual(['durable']);
    other.close();
    await j.close();
  });

  it('appends of one tick go to the worker as one commit', async () => {
    const j = ThreadedJournal.open(path);
    await j.ready();
    await Promise.all(Array.from({ length: 100 }, (_, i) => j.append([`m${i}`])));
    expect(j.commitCount()).toBe(1);
    await j.append(['x']);
    expect(j.commitCount()).toBe(2);
    expect(j.peek(200).map((l) => l.line)).toEqual([...Array.from({ length: 100 }, (_, i) => `m${i}`), 'x']);
    await j.close();
  });

  it('records dead letters with the ack and keeps them across reopen', async () => {
    const j = ThreadedJournal.open(path);
    await j.append(['good', 'bad']);
    await j.ack(j.peek(10).at(-1)?.id ?? -1, [{ line: 'bad', error: 'unable to parse' }], 7);
    expect(j.deadLetterCount()).toBe(1);
    expect(j.deadLetters()).toEqual([{ line: 'bad', error: 'unable to parse', atMs: 7 }]);
    await j.close();
    const again = Journal.open(path);
    expect(again.depth()).toBe(0);
    expect(again.deadLetterCount()).toBe(1);
    again.close();
  });

  it('commits appends still pending at close, and starts from what is on disk', async () => {
    const j = ThreadedJournal.open(path);
    const pending = j.append(['late']);
    await j.close();
    await pending;
    const again = ThreadedJournal.open(path);
    expect(again.depth()).toBe(1);
    expect(again.peek(10).map((l) => l.line)).toEqual(['late']);
    await again.close();
    await expect(again.append(['x'])).rejects.toThrow(/closed/);
  });

  it('tells listeners after the commit', async () => {
    const j = ThreadedJournal.open(path);
    const seen: number[] = [];
    j.onAppend(() => seen.push(j.peek(10).length));
    await j.append(['a']);
    expect(seen).toEqual([1]);
    await j.close();
  });
});
