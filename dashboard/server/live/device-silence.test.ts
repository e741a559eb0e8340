import { describe, expect, it } from 'vitest';
import { cameraSilentAfterMs, isSilent } from './device-silence.ts';

describe('isSilent', () => {
  it('is silent once nothing was heard for longer than the limit', () => {
    expect(isSilent(1000, false, 0, 15_000, 16_000)).toBe(false);
    expect(isSilent(1000, false, 0, 15_000, 16_001)).toBe(true);
  });
  it('counts from when the dashboard started watching, not from a device never heard', () => {
    expect(isSilent(0, false, 100_000, 15_000, 110_000)).toBe(false);
  });
  it('is silent at once when the device says it is offline', () => {
    expect(isSilent(10_000, true, 0, 15_000, 10_000)).toBe(true);
  });
});

describe('cameraSilentAfterMs', () => {
  it('is three of the camera’s own intervals, 60 s intervals when unknown', () => {
    expect(cameraSilentAfterMs(30)).toBe(90_000);
    expect(cameraSilentAfterMs(undefined)).toBe(180_000);
  });
});
