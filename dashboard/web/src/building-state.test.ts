import { describe, expect, it } from 'vitest';
import type { LiveMeter } from '../../shared/contract.ts';
import { buildingState } from './building-state.ts';

describe('buildingState', () => {
  const meter = (over: Partial<LiveMeter>): LiveMeter => ({
    id: 'm',
    buildingId: 'b',
    kind: 'water',
    value: 1,
    rate: 0,
    anomaly: null,
    ts: 1,
    ...over,
  });
  it('takes the worst anomaly and sums rates per kind', () => {
    const s = buildingState([
      meter({ kind: 'electricity', rate: 1500, anomaly: 'stuck' }),
      meter({ kind: 'electricity', rate: 500 }),
      meter({ kind: 'water', rate: 40, anomaly: 'leak' }),
      meter({ kind: 'water', rate: null, anomaly: 'outage' }),
    ]);
    expect(s).toEqual({ anomaly: 'leak', powerW: 2000, waterLph: 40 });
  });
  it('is calm without meters', () => {
    expect(buildingState([])).toEqual({ anomaly: 'none', powerW: 0, waterLph: 0 });
  });
});
