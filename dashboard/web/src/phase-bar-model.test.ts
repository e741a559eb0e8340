import { describe, expect, it } from 'vitest';
import { phaseBarModel } from './phase-bar-model.ts';

const phases = [
  { id: 'p1', greenS: 30, yellowS: 3, allRedS: 2 },
  { id: 'p2', greenS: 20, yellowS: 3, allRedS: 2 },
];

describe('phaseBarModel', () => {
  it('lays out segments as fractions of the cycle', () => {
    const m = phaseBarModel(phases, 'p1', 0);
    expect(m.cycleS).toBe(60);
    expect(m.segments[1]).toEqual({
      phaseId: 'p2',
      start: 35 / 60,
      green: 20 / 60,
      yellow: 3 / 60,
      allRed: 2 / 60,
    });
  });
  it('moves the cursor with elapsed time and names the interval', () => {
    expect(phaseBarModel(phases, 'p2', 10)).toMatchObject({
      cursor: 45 / 60,
      interval: 'green',
      remainingS: 10,
    });
    expect(phaseBarModel(phases, 'p2', 21)).toMatchObject({ interval: 'yellow', remainingS: 2 });
    expect(phaseBarModel(phases, 'p2', 24)).toMatchObject({ interval: 'allRed', remainingS: 1 });
  });
  it('holds the cursor at the phase end when the phase runs long', () => {
    expect(phaseBarModel(phases, 'p1', 500).cursor).toBe(35 / 60);
  });
  it('has no cursor for a phase the plan does not have', () => {
    expect(phaseBarModel(phases, 'zz', 5).cursor).toBeNull();
  });
});
