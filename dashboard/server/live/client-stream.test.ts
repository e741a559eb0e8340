import { describe, expect, it } from 'vitest';
import { ClientStream } from './client-stream.ts';

describe('ClientStream', () => {
  it('sends nothing before a viewport, then a snapshot, then deltas only when the store moved', () => {
    const s = new ClientStream();
    expect(s.next(0, 5, 0)).toBe('none');
    s.viewportChanged();
    expect(s.next(0, 5, 0)).toBe('snapshot');
    s.sent('snapshot', 0, 5);
    s.acked();
    expect(s.next(1000, 5, 0)).toBe('none');
    expect(s.next(1000, 6, 0)).toBe('delta');
  });

  it('coalesces to at most 4 emissions per second however often the store changes', () => {
    const s = new ClientStream();
    s.viewportChanged();
    let seq = 0;
    let emitted = 0;
    // 10 simulated seconds, a change and a tick every 10 ms.
    for (let t = 0; t < 10_000; t += 10) {
      seq += 1;
      const a = s.next(t, seq, 0);
      if (a !== 'none') {
        s.sent(a, t, seq);
        s.acked();
        emitted += 1;
      }
    }
    expect(emitted).toBeLessThanOrEqual(40);
    expect(emitted).toBeGreaterThanOrEqual(39);
  });

  it('stops sending to a client that does not ack, then resyncs it with one snapshot', () => {
    const s = new ClientStream({ maxInFlight: 3 });
    s.viewportChanged();
    let t = 0;
    const sent: string[] = [];
    for (let seq = 1; seq <= 20; seq++, t += 300) {
      const a = s.next(t, seq, 0);
      if (a !== 'none') {
        s.sent(a, t, seq);
        sent.push(a);
      }
    }
    expect(sent).toEqual(['snapshot', 'delta', 'delta']);
    expect(s.resyncs).toBe(1);
    s.acked();
    s.acked();
    expect(s.next(t, 21, 0)).toBe('none');
    s.acked();
    expect(s.next(t, 21, 0)).toBe('snapshot');
  });

  it('treats a long write buffer as behind, and acks that never come as lost after the timeout', () => {
    const s = new ClientStream({ ackTimeoutMs: 5000, maxWriteBuffer: 4 });
    s.viewportChanged();
    s.sent('snapshot', 0, 1);
    s.acked();
    expect(s.next(1000, 2, 10)).toBe('none');
    expect(s.next(1300, 3, 0)).toBe('snapshot');
    s.sent('snapshot', 1300, 3);
    expect(s.next(2000, 4, 0)).toBe('delta');
    s.sent('delta', 2000, 4);
    // Neither emission is ever acknowledged: after the timeout the client starts over.
    expect(s.next(6400, 5, 0)).toBe('snapshot');
  });
});
