import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Approach, Turn } from '../../protocol/index.ts';
import { conflictMatrix, exitLeg } from './conflict-matrix.ts';

const DIRS: readonly Approach[] = ['N', 'E', 'S', 'W'];
const TURNS: readonly Turn[] = ['L', 'T', 'R'];
const cross = DIRS.flatMap((approach) => TURNS.map((turn) => ({ id: `${approach}${turn}`, approach, turn })));
const crossings = DIRS.map((leg) => ({ id: `P${leg}`, leg }));
const key = (a: string, b: string) => (a < b ? `${a}|${b}` : `${b}|${a}`);

describe('conflictMatrix', () => {
  const { conflicts, yields } = conflictMatrix(cross, crossings);
  const hard = new Set(conflicts.map(([a, b]) => key(a, b)));
  const soft = new Set(yields.map(([a, b]) => key(a, b)));
  const conflicting = (a: string, b: string) => hard.has(key(a, b));

  it('is symmetric and independent of input order', () => {
    fc.assert(
      fc.property(fc.shuffledSubarray(cross, { minLength: cross.length }), (shuffled) => {
        const again = conflictMatrix(shuffled, [...crossings].reverse());
        expect(new Set(again.conflicts.map(([a, b]) => key(a, b)))).toEqual(hard);
        expect(again.yields).toEqual(yields);
      }),
      { numRuns: 50 },
    );
    for (const [a, b] of conflicts) expect(a < b).toBe(true); // stored once, ordered
    for (const a of cross)
      for (const b of cross) expect(conflicting(a.id, b.id)).toBe(conflicting(b.id, a.id));
  });

  it('finds crossing and merging paths', () => {
    expect(conflicting('NT', 'ET')).toBe(true); // crossing throughs
    expect(conflicting('NT', 'WL')).toBe(true); // left across a through
    expect(conflicting('ER', 'ST')).toBe(true); // merge into the north leg
    expect(conflicting('NL', 'EL')).toBe(true); // lefts from adjacent approaches cross
  });

  it('lets parallel and diverging movements share a green', () => {
    for (const [a, b] of [
      ['NT', 'ST'],
      ['NL', 'SL'], // opposing lefts pass each other
      ['NR', 'SR'],
      ['NT', 'NL'], // same approach
      ['NR', 'WT'], // NR turns into the west leg, WT leaves by the east one
    ] as const) {
      expect(conflicting(a, b)).toBe(false);
    }
  });

  it('makes a left turn give way to opposing traffic instead of conflicting with it', () => {
    expect(yields).toContainEqual(['NL', 'ST']);
    expect(yields).toContainEqual(['NL', 'SR']); // both go east
    expect(conflicting('NL', 'ST')).toBe(false);
    expect(soft.has(key('NT', 'ST'))).toBe(false);
  });

  it('protects pedestrians from through traffic and makes turning vehicles give way', () => {
    expect(conflicting('PE', 'ET')).toBe(true); // entering from the east leg
    expect(conflicting('PE', 'ER')).toBe(true);
    expect(conflicting('PE', 'WT')).toBe(true); // through traffic leaving by the east leg
    expect(yields).toContainEqual(['NL', 'PE']); // turning into the east leg
    expect(yields).toContainEqual(['SR', 'PE']);
    expect(conflicting('PE', 'NT')).toBe(false);
    expect(conflicting('PE', 'PN')).toBe(false);
  });

  it('knows where each turn leaves (right-hand traffic)', () => {
    expect(exitLeg('N', 'T')).toBe('S');
    expect(exitLeg('N', 'R')).toBe('W');
    expect(exitLeg('N', 'L')).toBe('E');
    expect(exitLeg('E', 'R')).toBe('N');
  });
});
