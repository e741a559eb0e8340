import { describe, expect, it } from 'vitest';
import {
  childrenFor,
  profileRates,
  profiles,
  readingsPerBatch,
  scaleProfile,
  splitEven,
} from './profiles.ts';

describe('profile rate maths', () => {
  it('moscow offers ≈ 7,200 msgs/s carrying ≈ 8,300 readings/s over 30,000 connections', () => {
    const r = profileRates(profiles.moscow);
    // 4,000 states/s + 16,000/5 counts/s + 10,000 gateways / 900 s = 4,000 + 3,200 + 11.1
    expect(r.messagesPerSec).toBeCloseTo(7211.11, 1);
    // same + 1,000,000 readings / 900 s = 4,000 + 3,200 + 1,111.1
    expect(r.readingsPerSec).toBeCloseTo(8311.11, 1);
    expect(r.connections).toBe(30_000);
    expect(r.meters).toBe(1_000_000);
  });

  it('district is a tenth of moscow', () => {
    const d = profileRates(profiles.district);
    expect(d.connections).toBe(3000);
    expect(d.messagesPerSec).toBeCloseTo(721.11, 1);
    expect(d.readingsPerSec).toBeCloseTo(831.11, 1);
    expect(d.meters).toBe(100_000);
  });

  it('a gateway batch carries what its meters produced in one batch period', () => {
    const gw = profiles.moscow.groups.find((g) => g.type === 'gateway');
    if (gw?.type !== 'gateway') throw new Error('moscow has gateways');
    expect(readingsPerBatch(gw)).toBe(100);
    expect(readingsPerBatch({ ...gw, batchPeriodMs: 60_000 })).toBe(7); // 100 / 15, rounded
    expect(readingsPerBatch({ ...gw, batchPeriodMs: 1 })).toBe(1);
  });

  it('spreads moscow over 2 child processes under the per-process file limit', () => {
    expect(childrenFor(30_000)).toBe(2);
    expect(childrenFor(30_001)).toBe(3);
    expect(childrenFor(0)).toBe(1);
    expect(splitEven(30_000, 2)).toEqual([15_000, 15_000]);
    expect(splitEven(10, 3)).toEqual([4, 3, 3]);
  });

  it('scales every group, keeping at least one device', () => {
    const s = scaleProfile(profiles.moscow, 0.0001);
    expect(s.groups.map((g) => g.count)).toEqual([1, 2, 1]);
  });
});
