import { describe, expect, it } from 'vitest';
import {
  CameraCounts,
  EntityId,
  GatewayReadings,
  parseTopic,
  SignalState,
  topics,
} from '../../protocol/index.ts';
import {
  cameraCounts,
  fleetIds,
  gatewayBatch,
  meterKindOf,
  monotonicStamp,
  signalState,
} from './payloads.ts';

const NOW = Date.UTC(2026, 10, 29, 10, 0, 0);

describe('payload builders', () => {
  it('camera counts are schema-valid for many sequence numbers', () => {
    for (let seq = 0; seq < 500; seq++) {
      expect(CameraCounts.safeParse(cameraCounts(NOW + seq, seq, 5)).success).toBe(true);
    }
  });

  it('signal states are schema-valid and name their intersection', () => {
    for (let seq = 0; seq < 100; seq++) {
      const s = signalState('X00001', NOW, seq);
      expect(SignalState.safeParse(s).success).toBe(true);
      expect(s.intersectionId).toBe('X00001');
    }
  });

  it('gateway batches are schema-valid and never repeat a meter+ts key', () => {
    const meters = Array.from({ length: 7 }, (_, j) => ({ id: fleetIds.meter(3, j), kind: meterKindOf(j) }));
    const batch = gatewayBatch(meters, NOW, 4, 20);
    expect(GatewayReadings.safeParse(batch).success).toBe(true);
    expect(batch).toHaveLength(20);
    const keys = new Set(batch.map((r) => `${r.meterId}@${r.ts}`));
    expect(keys.size).toBe(20);
    expect(new Set(batch.map((r) => r.meterId)).size).toBe(7);
  });

  it('every fleet id is a valid entity id that parses back out of its topic', () => {
    const ids = [
      fleetIds.intersection(1),
      fleetIds.camera(4000, 'W'),
      fleetIds.gateway(9999),
      fleetIds.meter(9999, 99),
    ];
    for (const id of ids) expect(EntityId.safeParse(id).success).toBe(true);
    expect(parseTopic(topics.cameraCounts.of(fleetIds.camera(12, 'N')))).toEqual({
      key: 'cameraCounts',
      id: 'cam-X00012-N',
    });
  });
});

describe('monotonicStamp', () => {
  it('never repeats a millisecond even when the clock stands still or steps back', () => {
    const stamp = monotonicStamp();
    expect([stamp(1000.4), stamp(1000.9), stamp(999), stamp(1005)]).toEqual([1000, 1001, 1002, 1005]);
  });
});
