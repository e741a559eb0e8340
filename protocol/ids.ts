import { z } from 'zod';

/**
 * A device, intersection or service id. It becomes one MQTT topic level and an InfluxDB tag
 * value, so it may not contain `/`, the wildcards `+` and `#`, spaces or commas.
 */
export const EntityId = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/,
    'ids are 1-64 characters of A-Z a-z 0-9 _ . - starting alphanumeric',
  );
export type EntityId = z.infer<typeof EntityId>;

export const DeviceType = z.enum(['camera', 'signal', 'meter', 'gateway']);
export type DeviceType = z.infer<typeof DeviceType>;

export const Approach = z.enum(['N', 'E', 'S', 'W']);
export type Approach = z.infer<typeof Approach>;

export const MeterKind = z.enum(['water', 'electricity']);
export type MeterKind = z.infer<typeof MeterKind>;

/** Milliseconds since the Unix epoch (UTC). Always an integer: devices send whole milliseconds. */
export const EpochMs = z.number().int().nonnegative().max(8_640_000_000_000_000);
