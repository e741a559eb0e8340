import { describe, expect, it } from 'vitest';
import { byComponent, type CpuProfile, componentOf, topFunctions } from './cpu-profile.ts';

const frame = (functionName: string, url: string, lineNumber = 0) => ({ functionName, url, lineNumber });

const profile: CpuProfile = {
  nodes: [
    { id: 1, callFrame: frame('(root)', '') },
    { id: 2, callFrame: frame('(idle)', '') },
    { id: 3, callFrame: frame('run', 'file:///w/node_modules/better-sqlite3/lib/methods/wrappers.js', 9) },
    { id: 4, callFrame: frame('validate', 'file:///w/ingest/validate.ts', 41) },
    { id: 5, callFrame: frame('parse', 'file:///w/node_modules/mqtt-packet/parser.js', 99) },
    { id: 6, callFrame: frame('validate', 'file:///w/ingest/validate.ts', 41) },
  ],
  // 10 samples: idle 4, sqlite 3, validate 2 (two nodes, same function), mqtt-packet 1
  samples: [2, 2, 2, 2, 3, 3, 3, 4, 6, 5],
};

describe('cpu profile summaries', () => {
  it('ranks functions by self time, merging nodes of the same function', () => {
    const top = topFunctions(profile, 3);
    expect(top).toEqual([
      { function: '(idle)', location: '', selfPct: 40 },
      { function: 'run', location: 'better-sqlite3/lib/methods/wrappers.js:10', selfPct: 30 },
      { function: 'validate', location: 'ingest/validate.ts:42', selfPct: 20 },
    ]);
  });

  it('attributes self time to packages and project folders', () => {
    expect(byComponent(profile)).toEqual([
      { component: '(idle)', selfPct: 40 },
      { component: 'better-sqlite3', selfPct: 30 },
      { component: 'ingest', selfPct: 20 },
      { component: 'mqtt-packet', selfPct: 10 },
    ]);
  });

  it('names scoped packages and node core', () => {
    expect(componentOf('file:///x/node_modules/@influxdata/influxdb-client/dist/index.js')).toBe(
      '@influxdata/influxdb-client',
    );
    expect(componentOf('node:net')).toBe('node core');
    expect(componentOf('file:///x/broker/create-broker.ts')).toBe('broker');
  });
});
