import { z } from 'zod';
import { EntityId } from '../../protocol/index.ts';
import { ControlConfig, ControllerKind } from '../core/control-config.ts';

/** The control loop's plain settings, parsed once (the network, logger and clock are handed in). */
export const ControlLoopSettings = z
  .object({
    /** The broker and service account, when the loop connects over MQTT (no `bus` handed in). */
    brokerUrl: z
      .string()
      .regex(/^(mqtts?|wss?|tcp):\/\//, 'brokerUrl must be an mqtt://, mqtts://, ws:// or wss:// URL')
      .optional(),
    credentials: z
      .object({ id: EntityId, secret: z.string().min(1) })
      .strict()
      .optional(),
    /** One controller for every junction, or per junction id (others: `defaultController`). */
    controller: z.union([ControllerKind, z.record(z.string(), ControllerKind)]),
    defaultController: ControllerKind.default('adaptive'),
    /** How often the loop looks for cycle boundaries, ms. */
    tickMs: z.number().int().min(10).max(10_000).default(1000),
    /** Plans are computed and sent this long before the boundary they start at, s. */
    leadS: z.number().min(0).max(30).default(3),
    reconnectPeriodMs: z.number().int().min(100).max(60_000).default(2000),
    config: ControlConfig.prefault({}),
  })
  .strict();
export type ControlLoopSettings = z.infer<typeof ControlLoopSettings>;
export type ControlLoopSettingsInput = z.input<typeof ControlLoopSettings>;
