import { describe, expect, it } from 'vitest';
import { connectAt, connectionsDue, dueDevices, sweepSteps } from './schedule.ts';

describe('dueDevices', () => {
  it('staggers 4 devices with a 1 s period every 250 ms', () => {
    // slots at 0, 250, 500, 750, 1000, … belong to devices 0, 1, 2, 3, 0, …
    expect(dueDevices(4, 1000, -1, 0)).toEqual([0]);
    expect(dueDevices(4, 1000, 0, 249)).toEqual([]);
    expect(dueDevices(4, 1000, 0, 250)).toEqual([1]);
    expect(dueDevices(4, 1000, 0, 1000)).toEqual([1, 2, 3, 0]);
  });

  it('offers exactly n/period messages over consecutive windows', () => {
    let total = 0;
    for (let t = 0; t < 10_000; t += 7) total += dueDevices(16_000, 5000, t, t + 7).length;
    // (0, 10,003] at 3.2 slots per ms → floor(10,003 · 3.2) = 32,009 slots
    expect(total).toBe(32_009);
  });

  it('catches up after a stall instead of dropping offered load', () => {
    expect(dueDevices(2, 100, 0, 300)).toEqual([1, 0, 1, 0, 1, 0]);
  });

  it('is empty for an empty group or a backwards window', () => {
    expect(dueDevices(0, 1000, 0, 5000)).toEqual([]);
    expect(dueDevices(3, 1000, 500, 400)).toEqual([]);
  });
});

describe('connection ramp', () => {
  it('opens connections at the requested rate', () => {
    expect(connectAt(0, 1000)).toBe(0);
    expect(connectAt(500, 1000)).toBe(500);
    expect(connectionsDue(0, 1000, 30_000)).toBe(1);
    expect(connectionsDue(999, 1000, 30_000)).toBe(1000);
    expect(connectionsDue(60_000, 1000, 30_000)).toBe(30_000);
    expect(connectionsDue(-5, 1000, 10)).toBe(0);
  });

  it('sweeps offered load across the knee', () => {
    expect(sweepSteps(10_000, [0.25, 1, 2])).toEqual([2500, 10_000, 20_000]);
  });
});
