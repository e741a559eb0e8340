import * as parser from 'socket.io-parser';
import { describe, expect, it } from 'vitest';
import { PreEncoded } from '../live/flush-memo.ts';
import { preEncodedParser } from './pre-encoded-parser.ts';

const delta = { seq: 7, ts: 1, links: [{ id: 'l "1"', flowVehPerH: 3, speedKmh: null, congestion: 0.5 }] };

function decode(frames: unknown[]): parser.Packet {
  const d = new parser.Decoder();
  let out: parser.Packet | undefined;
  d.on('decoded', (p: parser.Packet) => {
    out = p;
  });
  for (const f of frames) d.add(f as string);
  if (!out) throw new Error('nothing decoded');
  return out;
}

describe('preEncodedParser', () => {
  it('writes a pre-encoded event byte for byte as the default encoder writes its value', () => {
    const ours = new preEncodedParser.Encoder();
    const theirs = new parser.Encoder();
    for (const [nsp, id] of [
      ['/', 17],
      ['/', undefined],
      ['/live', 3],
    ] as const) {
      const packet = { type: parser.PacketType.EVENT, nsp, id };
      expect(ours.encode({ ...packet, data: ['delta', PreEncoded.of(delta)] })).toEqual(
        theirs.encode({ ...packet, data: ['delta', delta] }),
      );
    }
  });

  it('leaves every other packet to socket.io, binary ones included', () => {
    const ours = new preEncodedParser.Encoder();
    const binary = { type: parser.PacketType.EVENT, nsp: '/', data: ['x', Buffer.from([1, 2])], id: 2 };
    const frames = ours.encode(binary);
    expect(frames).toHaveLength(2);
    expect(decode(frames).data).toEqual(['x', Buffer.from([1, 2])]);
    const plain = { type: parser.PacketType.EVENT, nsp: '/', data: ['delta', delta, 'more'] };
    expect(ours.encode(plain)).toEqual(new parser.Encoder().encode(plain));
  });

  it('is decoded by the stock decoder into the original value and ack id', () => {
    const frames = new preEncodedParser.Encoder().encode({
      type: parser.PacketType.EVENT,
      nsp: '/',
      id: 5,
      data: ['delta', PreEncoded.of(delta)],
    });
    const p = decode(frames);
    expect(p.id).toBe(5);
    expect(p.data).toEqual(['delta', delta]);
  });
});
