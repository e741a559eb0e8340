import { describe, expect, it } from 'vitest';
import { nextBoundaryMs } from './next-boundary.ts';

describe('nextBoundaryMs', () => {
  it('finds the next cycle start from the offset against the city clock', () => {
    // cycle 90 s, offset 10 s: starts at 10, 100, 190, ... s
    expect(nextBoundaryMs(95_000, 90, 10)).toBe(100_000);
    expect(nextBoundaryMs(100_000, 90, 10)).toBe(100_000);
    expect(nextBoundaryMs(100_001, 90, 10)).toBe(190_000);
  });
  it('handles fractional cycles and offsets', () => {
    expect(nextBoundaryMs(1_000, 97.5, 2.5)).toBe(2_500);
    expect(nextBoundaryMs(3_000, 97.5, 2.5)).toBe(100_000);
  });
});
