import { describe, expect, it } from 'vitest';
import { planHistory, stepFor } from './history-query.ts';

describe('planHistory', () => {
  it('never writes the id or the times into the statement text', () => {
    const id = `A' OR 1=1; DROP DATABASE city --`;
    for (const series of ['counts', 'queues', 'modes', 'meter'] as const) {
      const { query } = planHistory({ series, id, from: 1_000_000, to: 4_600_000, points: 60 });
      expect(query.text).not.toContain(id);
      expect(query.text).not.toContain('1970');
      expect(query.text).toContain('$id');
      expect(query.params).toEqual({ id, from: '1970-01-01T00:16:40.000Z', to: '1970-01-01T01:16:40.000Z' });
    }
  });

  it('buckets the range into whole seconds, never under one second', () => {
    expect(stepFor(0, 3_600_000, 60)).toBe(60_000);
    expect(stepFor(0, 3_600_000, 7)).toBe(515_000);
    expect(stepFor(0, 10_000, 2000)).toBe(1000);
    expect(
      planHistory({ series: 'counts', id: 'A', from: 0, to: 3_600_000, points: 60 }).query.text,
    ).toContain('GROUP BY time(60000ms)');
  });
});
