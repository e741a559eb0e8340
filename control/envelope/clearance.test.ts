import { describe, expect, it } from 'vitest';
import { iteAllRedS, iteYellowS, pedClearanceS, pedMinGreenS } from './clearance.ts';
import { defaultEnvelopeConfig as cfg } from './envelope-config.ts';

describe('ITE change and clearance intervals', () => {
  it('yellow follows t + v / 2a, rounded up to 0.1 s', () => {
    // 50 km/h = 13.89 m/s: 1 + 13.89 / 6.1 = 3.28 s
    expect(iteYellowS(50, cfg)).toBe(3.3);
    // 80 km/h = 22.22 m/s: 1 + 22.22 / 6.1 = 4.64 s
    expect(iteYellowS(80, cfg)).toBe(4.7);
  });

  it('yellow stays within 3-6 s', () => {
    expect(iteYellowS(20, cfg)).toBe(3);
    expect(iteYellowS(130, cfg)).toBe(6);
  });

  it('all-red is (W + L) / v within 1-3 s', () => {
    // (20 + 6) / 13.89 = 1.87 s
    expect(iteAllRedS(20, 50, cfg)).toBe(1.9);
    expect(iteAllRedS(4, 50, cfg)).toBe(1);
    expect(iteAllRedS(60, 40, cfg)).toBe(3);
  });

  it('pedestrians get walk plus the clearance the yellow + all-red buffer does not cover', () => {
    expect(pedClearanceS(14, cfg)).toBe(14);
    // 7 s walk + (14 s clearance - 5.5 s buffer)
    expect(pedMinGreenS(14, 7, 5.5, cfg)).toBe(15.5);
    // a crossing shorter than the buffer needs only the walk
    expect(pedMinGreenS(4, 7, 5.5, cfg)).toBe(7);
    expect(pedMinGreenS(0, 7, 5.5, cfg)).toBe(0);
  });
});
