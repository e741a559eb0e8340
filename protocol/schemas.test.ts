import { describe, expect, it } from 'vitest';
import { CameraCounts } from './camera-counts.ts';
import { DeviceStatus } from './device-status.ts';
import { EntityId } from './ids.ts';
import { GatewayReadings, MAX_READINGS_PER_MESSAGE, MeterReadings } from './meter-reading.ts';
import { SignalPlan } from './signal-plan.ts';
import { SignalState } from './signal-state.ts';

const ts = 1_780_000_000_000;

describe('CameraCounts', () => {
  it('accepts a full and a minimal interval', () => {
    expect(
      CameraCounts.safeParse({
        ts,
        intervalS: 5,
        intensity: 7,
        occupancy: 0.4,
        averageVehicleSpeed: 32.5,
        queueLength: 3,
      }).success,
    ).toBe(true);
    expect(CameraCounts.safeParse({ ts, intervalS: 5, intensity: 0 }).success).toBe(true);
  });

  it.each([
    [{ ts, intervalS: 5 }, 'missing intensity'],
    [{ ts, intervalS: 5, intensity: -1 }, 'negative count'],
    [{ ts, intervalS: 5, intensity: 1.5 }, 'fractional vehicles'],
    [{ ts, intervalS: 0, intensity: 1 }, 'empty interval'],
    [{ ts, intervalS: 5, intensity: 1, occupancy: 1.2 }, 'occupancy above 1'],
    [{ ts: ts + 0.5, intervalS: 5, intensity: 1 }, 'fractional ms'],
    [{ ts: String(ts), intervalS: 5, intensity: 1 }, 'ts as string'],
    [{ ts, intervalS: 5, intensity: 1, colour: 'red' }, 'unknown field'],
  ])('refuses %j (%s)', (payload, _why) => {
    expect(CameraCounts.safeParse(payload).success).toBe(false);
  });
});

describe('SignalState and SignalPlan', () => {
  it('accepts a controller state', () => {
    const state = { ts, planId: 'AM', phase: 'P1', phaseElapsedS: 12, mode: 'adaptive', faults: [] };
    expect(SignalState.safeParse(state).success).toBe(true);
    expect(SignalState.safeParse({ ...state, mode: 'party' }).success).toBe(false);
  });

  it('accepts a two-phase plan and refuses one without phases', () => {
    const plan = {
      ts,
      planId: 'p-1',
      source: 'adaptive',
      cycleS: 60,
      offsetS: 0,
      phases: [
        { id: 'P1', movements: ['NT', 'ST'], greenS: 25, yellowS: 3, allRedS: 2 },
        { id: 'P2', movements: ['ET', 'WT'], greenS: 25, yellowS: 3, allRedS: 2 },
      ],
    };
    expect(SignalPlan.safeParse(plan).success).toBe(true);
    expect(SignalPlan.safeParse({ ...plan, phases: [] }).success).toBe(false);
  });
});

describe('meter readings', () => {
  const reading = { ts, kind: 'water', value: 123.456, flow: 12 };

  it('takes one reading or an array of them on the meter topic', () => {
    expect(MeterReadings.safeParse(reading).success).toBe(true);
    expect(MeterReadings.safeParse([reading, { ...reading, ts: ts + 1 }]).success).toBe(true);
    expect(MeterReadings.safeParse([]).success).toBe(false);
  });

  it('requires the meter id on gateway readings and caps the batch', () => {
    expect(GatewayReadings.safeParse([{ ...reading, meterId: 'm-1' }]).success).toBe(true);
    expect(GatewayReadings.safeParse([reading]).success).toBe(false);
    const tooMany = Array.from({ length: MAX_READINGS_PER_MESSAGE + 1 }, (_, i) => ({
      ...reading,
      ts: ts + i,
      meterId: 'm-1',
    }));
    expect(GatewayReadings.safeParse(tooMany).success).toBe(false);
  });

  it('refuses a negative register and an unknown kind', () => {
    expect(MeterReadings.safeParse({ ...reading, value: -1 }).success).toBe(false);
    expect(MeterReadings.safeParse({ ...reading, kind: 'gas' }).success).toBe(false);
  });
});

describe('ids and status', () => {
  it.each(['a', 'cam-0001', 'I_12.N'])('accepts id %j', (id) => {
    expect(EntityId.safeParse(id).success).toBe(true);
  });
  it.each(['', 'a/b', '+', '#', 'a b', 'a,b', '-lead', 'x'.repeat(65)])('refuses id %j', (id) => {
    expect(EntityId.safeParse(id).success).toBe(false);
  });
  it('knows only online and offline', () => {
    expect(DeviceStatus.safeParse({ status: 'online' }).success).toBe(true);
    expect(DeviceStatus.safeParse({ status: 'away' }).success).toBe(false);
  });
});
