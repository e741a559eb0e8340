/**
 * The frames broker processes send each other over IPC: many MQTT messages packed into one byte
 * array, so one IPC message (one structured-clone, one pipe write) carries a whole event-loop
 * turn's worth of messages instead of one each.
 *
 * Frame: flags (1 byte: bits 0-1 QoS, bit 2 retain) · topic length (u16 BE) · topic (UTF-8) ·
 * payload length (u32 BE) · payload. A batch is frames back to back.
 */
export interface BatchedMessage {
  readonly topic: string;
  readonly payload: Buffer;
  readonly qos: 0 | 1;
  readonly retain: boolean;
}

const HEADER = 1 + 2 + 4;
/** MQTT topics are at most 65,535 bytes [MQTT-1.5.3]: the u16 length always fits. */
const MAX_TOPIC_BYTES = 0xffff;

export function encodeBatch(messages: readonly BatchedMessage[]): Buffer {
  const topics = messages.map((m) => Buffer.from(m.topic, 'utf8'));
  let size = 0;
  for (const [i, m] of messages.entries()) size += HEADER + (topics[i]?.length ?? 0) + m.payload.length;
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  for (const [i, m] of messages.entries()) {
    const topic = topics[i] as Buffer;
    if (topic.length > MAX_TOPIC_BYTES) throw new RangeError(`topic longer than ${MAX_TOPIC_BYTES} bytes`);
    out.writeUInt8((m.qos & 0b11) | (m.retain ? 0b100 : 0), at);
    out.writeUInt16BE(topic.length, at + 1);
    topic.copy(out, at + 3);
    at += 3 + topic.length;
    out.writeUInt32BE(m.payload.length, at);
    m.payload.copy(out, at + 4);
    at += 4 + m.payload.length;
  }
  return out;
}

/** Payloads are views into `data` (no copy); a truncated or corrupt batch throws. */
export function decodeBatch(data: Uint8Array): BatchedMessage[] {
  const buf = Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const out: BatchedMessage[] = [];
  let at = 0;
  while (at < buf.length) {
    if (at + 3 > buf.length) throw new RangeError('truncated batch: frame header');
    const flags = buf.readUInt8(at);
    const topicLen = buf.readUInt16BE(at + 1);
    const topicEnd = at + 3 + topicLen;
    if (topicEnd + 4 > buf.length) throw new RangeError('truncated batch: topic');
    const topic = buf.toString('utf8', at + 3, topicEnd);
    const payloadLen = buf.readUInt32BE(topicEnd);
    const payloadEnd = topicEnd + 4 + payloadLen;
    if (payloadEnd > buf.length) throw new RangeError('truncated batch: payload');
    const qos = (flags & 0b11) === 1 ? 1 : 0;
    out.push({ topic, payload: buf.subarray(topicEnd + 4, payloadEnd), qos, retain: (flags & 0b100) !== 0 });
    at = payloadEnd;
  }
  return out;
}

export interface BatcherOptions {
  /** Receives each full or due batch, encoded, with how many messages it holds. */
  readonly flush: (data: Buffer, count: number) => void;
  /** Runs the due flush later (setImmediate in a process: one batch per event-loop turn). */
  readonly schedule: (run: () => void) => void;
  /** A batch is flushed at once when it reaches this many payload bytes. */
  readonly maxBytes?: number;
}

export interface Batcher {
  push(message: BatchedMessage): void;
  /** Flushes what is waiting now (on stop). */
  flushNow(): void;
  readonly pending: number;
}

/**
 * Collects messages and hands them on as one encoded batch per scheduled turn, or sooner once a
 * batch is big: a burst costs one IPC message per turn, a quiet broker still forwards at once.
 */
export function createBatcher(opts: BatcherOptions): Batcher {
  const maxBytes = opts.maxBytes ?? 256 * 1024;
  let waiting: BatchedMessage[] = [];
  let bytes = 0;
  let scheduled = false;
  const flushNow = () => {
    scheduled = false;
    if (waiting.length === 0) return;
    const batch = waiting;
    waiting = [];
    bytes = 0;
    opts.flush(encodeBatch(batch), batch.length);
  };
  return {
    push(message) {
      waiting.push(message);
      bytes += message.payload.length + message.topic.length;
      if (bytes >= maxBytes) return flushNow();
      if (!scheduled) {
        scheduled = true;
        opts.schedule(() => {
          if (scheduled) flushNow();
        });
      }
    },
    flushNow,
    get pending() {
      return waiting.length;
    },
  };
}
