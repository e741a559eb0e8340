import { z } from 'zod';
import { EntityId, EpochMs, MeterKind } from './ids.ts';

/** Most readings a single message may carry (a gateway's batch, or a meter's backlog). */
export const MAX_READINGS_PER_MESSAGE = 1000;

const readingFields = {
  ts: EpochMs,
  kind: MeterKind,
  /** Cumulative register: m³ for water (FIWARE waterConsumption), kWh for electricity (totalActiveEnergyImport). */
  value: z.number().min(0).max(1e12),
  /** Instantaneous water flow, L/h. */
  flow: z.number().min(0).max(1e6).optional(),
  /** Instantaneous active power, W. */
  power: z.number().min(0).max(1e8).optional(),
};

/** One meter reading. */
export const MeterReading = z.object(readingFields).strict();
export type MeterReading = z.infer<typeof MeterReading>;

/** Topic city/utility/meters/{meterId}/readings: one reading or an array of that meter's readings. */
export const MeterReadings = z.union([
  MeterReading,
  z.array(MeterReading).min(1).max(MAX_READINGS_PER_MESSAGE),
]);
export type MeterReadings = z.infer<typeof MeterReadings>;

/** A reading relayed by a gateway: names the meter it came from. */
export const GatewayReading = z.object({ ...readingFields, meterId: EntityId }).strict();
export type GatewayReading = z.infer<typeof GatewayReading>;

/** Topic city/utility/gateways/{gatewayId}/readings: up to 1,000 readings from the gateway's meters. */
export const GatewayReadings = z.array(GatewayReading).min(1).max(MAX_READINGS_PER_MESSAGE);
export type GatewayReadings = z.infer<typeof GatewayReadings>;
