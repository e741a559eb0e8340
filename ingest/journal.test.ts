import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Journal } from './journal.ts';

let dir: string;
let path: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'journal-'));
  path = join(dir, 'spool.sqlite');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('Journal', () => {
  it('peeks lines in append order and acks up to an id', async () => {
    const j = Journal.open(path);
    await j.append(['a', 'b']);
    await j.append(['c']);
    const all = j.peek(10);
    expect(all.map((l) => l.line)).toEqual(['a', 'b', 'c']);
    expect(j.depth()).toBe(3);
    j.ack(all[1]?.id ?? -1);
    expect(j.peek(10).map((l) => l.line)).toEqual(['c']);
    expect(j.depth()).toBe(1);
    j.close();
  });

  it('peek respects the limit', async () => {
    const j = Journal.open(path);
    await j.append(Array.from({ length: 10 }, (_, i) => `l${i}`));
    expect(j.peek(3).map((l) => l.line)).toEqual(['l0', 'l1', 'l2']);
    j.close();
  });

  it('commits appends of the same tick in one transaction (group commit)', async () => {
    const j = Journal.open(path);
    await Promise.all(Array.from({ length: 100 }, (_, i) => j.append([`m${i}`])));
    expect(j.commitCount()).toBe(1);
    await j.append(['x']);
    await j.append(['y']);
    expect(j.commitCount()).toBe(3);
    expect(j.peek(200).map((l) => l.line)).toEqual([
      ...Array.from({ length: 100 }, (_, i) => `m${i}`),
      'x',
      'y',
    ]);
    j.close();
  });

  it('an append is on disk when its promise resolves (a second connection sees it)', async () => {
    const j = Journal.open(path);
    await j.append(['durable']);
    const other = new Database(path, { readonly: true });
    expect(other.prepare('SELECT line FROM spool').pluck().all()).toEqual(['durable']);
    other.close();
    j.close();
  });

  it('survives close and reopen with order, depth and ids intact', async () => {
    const j = Journal.open(path, { synchronous: 'NORMAL' });
    await j.append(['a', 'b', 'c']);
    const first = j.peek(1)[0];
    j.ack(first?.id ?? -1);
    j.close();
    const again = Journal.open(path);
    expect(again.depth()).toBe(2);
    expect(again.peek(10).map((l) => l.line)).toEqual(['b', 'c']);
    await again.append(['d']);
    const ids = again.peek(10).map((l) => l.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(again.peek(10).map((l) => l.line)).toEqual(['b', 'c', 'd']);
    again.close();
  });

  it('ids never go back after the spool was emptied (AUTOINCREMENT), so order holds across acks', async () => {
    const j = Journal.open(path);
    await j.append(['a']);
    const a = j.peek(1)[0]?.id ?? -1;
    j.ack(a);
    j.close();
    const again = Journal.open(path);
    await again.append(['b']);
    expect(again.peek(1)[0]?.id).toBeGreaterThan(a);
    again.close();
  });

  it('records dead letters together with the ack', async () => {
    const j = Journal.open(path);
    await j.append(['good', 'bad line', 'good2']);
    const last = j.peek(10).at(-1)?.id ?? -1;
    j.ack(last, [{ line: 'bad line', error: 'unable to parse' }], 42);
    expect(j.depth()).toBe(0);
    expect(j.deadLetterCount()).toBe(1);
    expect(j.deadLetters()).toEqual([{ line: 'bad line', error: 'unable to parse', atMs: 42 }]);
    j.close();
    const again = Journal.open(path);
    expect(again.deadLetterCount()).toBe(1);
    again.close();
  });

  it('commits appends still pending when closed', async () => {
    const j = Journal.open(path);
    const pending = j.append(['late']);
    j.close();
    await pending;
    const again = Journal.open(path);
    expect(again.peek(10).map((l) => l.line)).toEqual(['late']);
    again.close();
  });

  it('refuses appends after close', async () => {
    const j = Journal.open(path);
    j.close();
    await expect(j.append(['x'])).rejects.toThrow(/closed/);
  });

  it('tells listeners about committed appends', async () => {
    const j = Journal.open(path);
    let calls = 0;
    const off = j.onAppend(() => calls++);
    await j.append(['a']);
    off();
    await j.append(['b']);
    expect(calls).toBe(1);
    j.close();
  });
});
