import { describe, expect, it } from 'vitest';
import { ackFrame, eventFrame, parseFrame } from './socket-frame.ts';

describe('parseFrame', () => {
  it('reads engine.io open and ping frames', () => {
    expect(parseFrame('0{"sid":"x","pingInterval":25000}')).toEqual({ kind: 'open' });
    expect(parseFrame('2')).toEqual({ kind: 'ping' });
  });

  it('reads socket.io connect, connect errors and events with their ack ids', () => {
    expect(parseFrame('40{"sid":"abc"}')).toEqual({ kind: 'connected' });
    expect(parseFrame('44{"message":"unauthorized"}')).toEqual({
      kind: 'connect_error',
      message: 'unauthorized',
    });
    expect(parseFrame('4217["delta",{"seq":1')).toEqual({ kind: 'event', event: 'delta', ackId: 17 });
    expect(parseFrame('42["snapshot",{')).toEqual({ kind: 'event', event: 'snapshot', ackId: null });
  });

  it('treats what it does not know as other', () => {
    expect(parseFrame('6')).toEqual({ kind: 'other' });
    expect(parseFrame('42garbage')).toEqual({ kind: 'other' });
  });
});

describe('frames the client sends', () => {
  it('acks an event and emits one as socket.io-client would', () => {
    expect(ackFrame(17)).toBe('4317[]');
    expect(eventFrame('viewport', { zoom: 12 })).toBe('42["viewport",{"zoom":12}]');
  });
});
