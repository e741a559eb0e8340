import { describe, expect, it } from 'vitest';
import { orphanWorkerSpools, workerSpoolFile } from './worker-spools.ts';

describe('worker spools', () => {
  const files = [
    'spool.sqlite',
    'spool-w0.sqlite',
    'spool-w0.sqlite-wal',
    'spool-w1.sqlite',
    'spool-w3.sqlite',
    'registry.sqlite',
  ];

  it('names a spool after the worker slot', () => {
    expect(workerSpoolFile(2)).toBe('spool-w2.sqlite');
  });

  it('finds the spools of slots this run does not have', () => {
    expect(orphanWorkerSpools(files, 2)).toEqual(['spool-w3.sqlite']);
    expect(orphanWorkerSpools(files, 4)).toEqual([]);
  });

  it('treats every worker spool as left over when the broker runs in one process', () => {
    expect(orphanWorkerSpools(files, 1)).toEqual(['spool-w0.sqlite', 'spool-w1.sqlite', 'spool-w3.sqlite']);
  });
});
