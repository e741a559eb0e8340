import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type BatchedMessage, createBatcher, decodeBatch, encodeBatch } from './message-batch.ts';

const msg = (topic: string, payload: string, qos: 0 | 1 = 1, retain = false): BatchedMessage => ({
  topic,
  payload: Buffer.from(payload),
  qos,
  retain,
});

const plain = (m: BatchedMessage) => ({ ...m, payload: Buffer.from(m.payload).toString('hex') });

describe('message batch codec', () => {
  it('round-trips topics, binary payloads, QoS and retain', () => {
    const batch = [
      msg('city/traffic/cameras/CAM-1/counts', '{"ts":1}'),
      {
        topic: 'city/devices/é/status',
        payload: Buffer.from([0, 255, 10, 13]),
        qos: 0 as const,
        retain: true,
      },
      msg('city/x', ''),
    ];
    expect(decodeBatch(encodeBatch(batch)).map(plain)).toEqual(batch.map(plain));
  });

  it('round-trips any batch (property)', () => {
    const arb = fc.array(
      fc.record({
        topic: fc.string({ maxLength: 200 }),
        payload: fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)),
        qos: fc.constantFrom(0 as const, 1 as const),
        retain: fc.boolean(),
      }),
      { maxLength: 30 },
    );
    fc.assert(
      fc.property(arb, (batch) => {
        expect(decodeBatch(encodeBatch(batch)).map(plain)).toEqual(batch.map(plain));
      }),
    );
  });

  it('decodes a plain Uint8Array (what structured clone may hand over)', () => {
    const encoded = encodeBatch([msg('a/b', 'x')]);
    const copy = new Uint8Array(encoded.length + 4).subarray(2, 2 + encoded.length);
    copy.set(encoded);
    expect(decodeBatch(copy).map(plain)).toEqual([plain(msg('a/b', 'x'))]);
  });

  it('refuses a truncated batch instead of inventing messages', () => {
    const encoded = encodeBatch([msg('a/b', 'hello'), msg('c/d', 'world')]);
    for (const cut of [1, 5, encoded.length - 1]) {
      expect(() => decodeBatch(encoded.subarray(0, cut))).toThrow(/truncated/);
    }
  });
});

describe('batcher', () => {
  function harness(maxBytes?: number) {
    const flushed: { topics: string[]; count: number }[] = [];
    const due: (() => void)[] = [];
    const batcher = createBatcher({
      flush: (data, count) => flushed.push({ topics: decodeBatch(data).map((m) => m.topic), count }),
      schedule: (run) => due.push(run),
      ...(maxBytes === undefined ? {} : { maxBytes }),
    });
    const turn = () => {
      for (const run of due.splice(0)) run();
    };
    return { batcher, flushed, turn, due };
  }

  it('sends one batch per turn, in order, and nothing on an idle turn', () => {
    const { batcher, flushed, turn, due } = harness();
    batcher.push(msg('t/1', 'a'));
    batcher.push(msg('t/2', 'b'));
    expect(due).toHaveLength(1);
    expect(flushed).toEqual([]);
    turn();
    expect(flushed).toEqual([{ topics: ['t/1', 't/2'], count: 2 }]);
    turn();
    expect(flushed).toHaveLength(1);
    batcher.push(msg('t/3', 'c'));
    turn();
    expect(flushed.at(-1)).toEqual({ topics: ['t/3'], count: 1 });
  });

  it('flushes at once when a batch grows past maxBytes, and the due turn then sends only the rest', () => {
    const { batcher, flushed, turn } = harness(10);
    batcher.push(msg('a', '12345'));
    batcher.push(msg('b', '67890'));
    expect(flushed).toEqual([{ topics: ['a', 'b'], count: 2 }]);
    batcher.push(msg('c', '1'));
    turn();
    expect(flushed).toEqual([
      { topics: ['a', 'b'], count: 2 },
      { topics: ['c'], count: 1 },
    ]);
    expect(batcher.pending).toBe(0);
  });

  it('flushNow empties what waits (on stop)', () => {
    const { batcher, flushed } = harness();
    batcher.push(msg('a', '1'));
    batcher.flushNow();
    expect(flushed).toEqual([{ topics: ['a'], count: 1 }]);
    expect(batcher.pending).toBe(0);
  });
});
