import { type GatewayReading, MAX_READINGS_PER_MESSAGE } from '../../protocol/index.ts';

/**
 * What a gateway holds between uplinks: its meters' readings, oldest first. Bounded like a
 * real gateway's flash: when full, the oldest readings go first (and are counted).
 */
export interface GatewayBuffer {
  readonly readings: readonly GatewayReading[];
  readonly dropped: number;
}

export const emptyBuffer: GatewayBuffer = { readings: [], dropped: 0 };

export function bufferReadings(
  buf: GatewayBuffer,
  add: readonly GatewayReading[],
  capacity: number,
): GatewayBuffer {
  const all = [...buf.readings, ...add];
  const over = Math.max(0, all.length - capacity);
  return { readings: over > 0 ? all.slice(over) : all, dropped: buf.dropped + over };
}

/** Splits the buffer into protocol-sized batches (≤ 1,000 readings each) and empties it. */
export function takeBatches(
  buf: GatewayBuffer,
  max = MAX_READINGS_PER_MESSAGE,
): { batches: GatewayReading[][]; buf: GatewayBuffer } {
  const batches: GatewayReading[][] = [];
  for (let i = 0; i < buf.readings.length; i += max) batches.push(buf.readings.slice(i, i + max));
  return { batches, buf: { readings: [], dropped: buf.dropped } };
}
