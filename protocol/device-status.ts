import { z } from 'zod';
import { EpochMs } from './ids.ts';

/**
 * Topic city/devices/{deviceId}/status, retained, QoS 1. A device publishes `online` when it
 * connects and registers `offline` as its last will; the broker also writes both on its own.
 */
export const DeviceStatus = z
  .object({
    status: z.enum(['online', 'offline']),
    ts: EpochMs.optional(),
  })
  .strict();
export type DeviceStatus = z.infer<typeof DeviceStatus>;
