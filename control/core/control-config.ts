import { z } from 'zod';
import { ControllerConfig } from '../controllers/controller-config.ts';
import { EnvelopeConfig } from '../envelope/envelope-config.ts';
import { EstimatorConfig } from '../estimation/estimator-config.ts';

export const ControllerKind = z.enum(['fixed', 'webster', 'actuated', 'adaptive']);
export type ControllerKind = z.infer<typeof ControllerKind>;

/** Everything the pure control core is tuned by, parsed once and frozen. */
export const ControlConfig = z
  .object({
    controllers: ControllerConfig.prefault({}),
    envelope: EnvelopeConfig.prefault({}),
    estimator: EstimatorConfig.prefault({}),
    /** Below this share of approaches with fresh counts a data-driven controller falls back. */
    minFreshShare: z.number().min(0).max(1).default(0.5),
    /** Local time of the stored plan schedule (Moscow: +180). */
    utcOffsetMin: z.number().int().min(-720).max(840).default(180),
    /** Signal fault codes that mean a camera (detector) is broken, matched as substrings. */
    cameraFaultPatterns: z.array(z.string().min(1)).default(['camera', 'detector']),
    /** Arterial junctions closer than this are coordinated along their corridor (green wave), m. */
    coordinateWithinM: z.number().min(0).max(5000).default(0),
  })
  .strict();
export type ControlConfig = z.infer<typeof ControlConfig>;
export type ControlConfigInput = z.input<typeof ControlConfig>;

export function parseControlConfig(input: ControlConfigInput = {}): ControlConfig {
  return Object.freeze(ControlConfig.parse(input));
}
