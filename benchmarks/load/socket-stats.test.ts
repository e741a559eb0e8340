import { describe, expect, it } from 'vitest';
import { LatencyHistogram } from '../lib/percentiles.ts';
import {
  clientRates,
  emptyByClass,
  mergeSocketStats,
  newSignalLatencies,
  rememberSignals,
  type SocketChildStats,
  type SocketCounters,
  zeroCounters,
} from './socket-stats.ts';

const counters = (over: Partial<SocketCounters>): SocketCounters => ({ ...zeroCounters, ...over });

function child(
  childIndex: number,
  street: Partial<SocketCounters>,
  samples: number[],
  firstError?: string,
): SocketChildStats {
  const h = new LatencyHistogram();
  for (const s of samples) h.record(s);
  return {
    childIndex,
    byClass: { ...emptyByClass(), street: counters(street) },
    latency: h.toJSON(),
    ...(firstError ? { firstError } : {}),
  };
}

describe('mergeSocketStats', () => {
  it('sums counters per class and overall, and merges the latency histograms', () => {
    const t = mergeSocketStats([
      child(0, { clients: 2, deltas: 10, bytes: 1000 }, [100, 200]),
      child(1, { clients: 3, deltas: 5, bytes: 500, resyncs: 1 }, [300], 'connect_error: unauthorized'),
    ]);
    expect(t.byClass.street).toMatchObject({ clients: 5, deltas: 15, bytes: 1500, resyncs: 1 });
    expect(t.byClass.city.clients).toBe(0);
    expect(t.all).toMatchObject({ clients: 5, deltas: 15 });
    expect(t.latency.count).toBe(3);
    expect(t.latency.max).toBe(300);
    expect(t.firstError).toBe('connect_error: unauthorized');
  });

  it('is empty for no children', () => {
    expect(mergeSocketStats([]).all).toEqual(zeroCounters);
  });
});

describe('clientRates', () => {
  it('turns two reports into per-client rates over the clients that got in', () => {
    const r = clientRates(
      counters({ clients: 5, ready: 4, deltas: 100, bytes: 10_000, resyncs: 1 }),
      counters({ clients: 5, ready: 4, deltas: 180, bytes: 50_000, resyncs: 3 }),
      5000,
    );
    expect(r.clients).toBe(4);
    expect(r.deltasPerSecPerClient).toBe(4);
    expect(r.bytesPerSecPerClient).toBe(2000);
    expect(r.resyncs).toBe(2);
  });

  it('has no rate for a class without clients', () => {
    expect(clientRates(zeroCounters, zeroCounters, 1000).deltasPerSecPerClient).toBeNaN();
  });
});

describe('newSignalLatencies', () => {
  it('samples only signal timestamps new to the client', () => {
    const last = new Map<string, number>();
    rememberSignals(last, [{ id: 'a', ts: 1000 }]);
    const first = newSignalLatencies(
      last,
      [
        { id: 'a', ts: 1000 }, // a queue change: same signal state, not a sample
        { id: 'b', ts: 1100 },
      ],
      1250,
    );
    expect(first).toEqual([150]);
    expect(
      newSignalLatencies(
        last,
        [
          { id: 'a', ts: 1200 },
          { id: 'b', ts: 1100 },
        ],
        1300,
      ),
    ).toEqual([100]);
  });

  it('skips intersections that never had a signal state and clamps clock skew at zero', () => {
    expect(
      newSignalLatencies(
        new Map(),
        [
          { id: 'a', ts: 0 },
          { id: 'b', ts: 2000 },
        ],
        1999,
      ),
    ).toEqual([0]);
  });
});
