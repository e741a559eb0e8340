import { z } from 'zod';
import { EpochMs } from './ids.ts';

/**
 * Counts for one interval at the approach a camera watches (FIWARE TrafficFlowObserved names).
 * Topic: city/traffic/cameras/{cameraId}/counts, QoS 1.
 */
export const CameraCounts = z
  .object({
    /** End of the counting interval, ms since epoch. */
    ts: EpochMs,
    /** Length of the counting interval in seconds (1 s .. 1 h). */
    intervalS: z.number().positive().max(3600),
    /** Vehicles that crossed the detection line during the interval. */
    intensity: z.number().int().nonnegative().max(100_000),
    /** Fraction of the interval the detection zone was occupied, 0..1. */
    occupancy: z.number().min(0).max(1).optional(),
    /** Mean speed of the counted vehicles, km/h. */
    averageVehicleSpeed: z.number().min(0).max(300).optional(),
    /** Vehicles queued at the stop line at the end of the interval. */
    queueLength: z.number().int().nonnegative().max(10_000).optional(),
  })
  .strict();
export type CameraCounts = z.infer<typeof CameraCounts>;
