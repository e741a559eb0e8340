/**
 * Just enough of the engine.io v4 / socket.io v5 text framing for a protocol-level dashboard
 * client: read a frame's kind, event name and ack id from its first bytes, without decoding the
 * JSON body (the server's work is the same; the client's JSON decoding is what it saves).
 *
 *   engine.io: `0{…}` open, `2` ping (answer `3`), `4…` message
 *   socket.io inside a message: `0…` connect, `4{…}` connect error, `2<ackId>["event",…]` event
 */
export type SocketFrame =
  | { readonly kind: 'open' | 'ping' | 'close' | 'connected' | 'other' }
  | { readonly kind: 'connect_error'; readonly message: string }
  | { readonly kind: 'event'; readonly event: string; readonly ackId: number | null };

export function parseFrame(head: string): SocketFrame {
  const engine = head[0];
  if (engine === '0') return { kind: 'open' };
  if (engine === '2') return { kind: 'ping' };
  if (engine === '1') return { kind: 'close' };
  if (engine !== '4') return { kind: 'other' };
  const io = head[1];
  if (io === '0') return { kind: 'connected' };
  if (io === '4') {
    const m = /"message":"([^"]*)"/.exec(head);
    return { kind: 'connect_error', message: m?.[1] ?? 'connect error' };
  }
  if (io !== '2') return { kind: 'other' };
  // `42` [namespace ","] [ackId] `["event"`: the default namespace has no prefix.
  const m = /^42(\d*)\["([^"]+)"/.exec(head);
  if (!m) return { kind: 'other' };
  return { kind: 'event', event: m[2] as string, ackId: m[1] ? Number(m[1]) : null };
}

/** The ack of event `ackId` with no arguments. */
export const ackFrame = (ackId: number): string => `43${ackId}[]`;
/** Joins the default namespace. */
export const connectFrame = '40';
export const pongFrame = '3';
export const eventFrame = (event: string, data: unknown): string => `42${JSON.stringify([event, data])}`;
