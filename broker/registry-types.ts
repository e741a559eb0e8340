import { z } from 'zod';
import type { SenderIdentity, ServiceRight } from '../protocol/identity.ts';
import { Approach, DeviceType, EntityId, MeterKind } from '../protocol/ids.ts';

// What the registry accepts and returns: input schemas, records (never secrets) and its error.

/** A device to provision. Which optional fields apply depends on its type (see DeviceSpec). */
export const DeviceSpec = z
  .object({
    id: EntityId,
    type: DeviceType,
    /** Camera: the intersection it watches (required). Signal: the intersection it controls. */
    intersectionId: EntityId.optional(),
    /** Camera only: the approach it watches (required). */
    approach: Approach.optional(),
    /** Meter only: the gateway that relays its readings. */
    gatewayId: EntityId.optional(),
    /** Meter only: what it measures. */
    meterKind: MeterKind.optional(),
  })
  .strict()
  .superRefine((d, ctx) => {
    const bad = (message: string) => ctx.addIssue({ code: 'custom', message });
    if (d.type === 'camera' && (d.intersectionId === undefined || d.approach === undefined)) {
      bad('a camera needs intersectionId and approach');
    }
    if (d.approach !== undefined && d.type !== 'camera') bad('only cameras have an approach');
    if (d.intersectionId !== undefined && d.type !== 'camera' && d.type !== 'signal') {
      bad('only cameras and signals belong to an intersection');
    }
    if ((d.gatewayId !== undefined || d.meterKind !== undefined) && d.type !== 'meter') {
      bad('only meters have a gateway or a meter kind');
    }
  });
export type DeviceSpec = z.input<typeof DeviceSpec>;

export const ServiceRightSchema = z.enum(['plan:publish', 'telemetry:subscribe']);
export const OperatorRole = z.enum(['viewer', 'operator', 'admin']);
export type OperatorRole = z.infer<typeof OperatorRole>;
/** Operator login names: like ids, plus `@` so e-mail addresses work. */
export const OperatorName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$/, 'names are 1-64 characters of A-Z a-z 0-9 _ . @ -');
export const OperatorPassword = z.string().min(12, 'passwords have at least 12 characters').max(1024);

export interface Credentials {
  readonly id: string;
  /** Shown once; only its hash is stored. */
  readonly secret: string;
}

export interface DeviceRecord {
  readonly id: string;
  readonly type: DeviceType;
  readonly intersectionId: string | null;
  readonly approach: Approach | null;
  readonly gatewayId: string | null;
  readonly meterKind: MeterKind | null;
  readonly createdAt: number;
  readonly revokedAt: number | null;
}

export interface ServiceRecord {
  readonly id: string;
  readonly rights: readonly ServiceRight[];
  readonly createdAt: number;
  readonly revokedAt: number | null;
}

export interface OperatorRecord {
  readonly name: string;
  readonly role: OperatorRole;
  readonly createdAt: number;
  readonly revokedAt: number | null;
}

/** Why an authentication failed: for metrics and logs only, never told to the client. */
export type AuthFailure = 'unknown' | 'bad_secret' | 'revoked';
export type AuthResult =
  | { readonly ok: true; readonly identity: SenderIdentity }
  | { readonly ok: false; readonly reason: AuthFailure };

export type RegistryErrorCode = 'invalid' | 'exists' | 'not_found';

/** A refused registry change, with a stable code the CLI and REST layers map to their errors. */
export class RegistryError extends Error {
  constructor(
    readonly code: RegistryErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'RegistryError';
  }
}
