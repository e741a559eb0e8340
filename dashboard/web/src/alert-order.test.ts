import { describe, expect, it } from 'vitest';
import { alertOrder } from './alert-order.ts';

describe('alertOrder', () => {
  it('puts critical first, then the oldest', () => {
    const a = (id: string, severity: 'info' | 'warning' | 'critical', sinceMs: number) => ({
      id,
      kind: 'fault' as const,
      severity,
      entityId: id,
      position: [0, 0] as [number, number],
      message: '',
      sinceMs,
    });
    const ordered = alertOrder([
      a('w2', 'warning', 20),
      a('c', 'critical', 50),
      a('w1', 'warning', 10),
      a('i', 'info', 1),
    ]);
    expect(ordered.map((x) => x.id)).toEqual(['c', 'w1', 'w2', 'i']);
  });
});
