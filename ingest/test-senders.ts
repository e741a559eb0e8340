import type { MeterKind, SenderIdentity } from '../protocol/index.ts';

// Sender identities as the broker builds them from the registry, for ingest's tests.

const base = {
  intersectionId: null,
  approach: null,
  meterKind: null,
  gatewayMeters: null,
  rights: [],
} as const;

export function camera(id = 'CAM-1', intersectionId = 'I-0001'): SenderIdentity {
  return { ...base, id, role: 'device', deviceType: 'camera', intersectionId, approach: 'N' };
}

export function signal(id = 'SIG-I-0001', intersectionId = 'I-0001'): SenderIdentity {
  return { ...base, id, role: 'device', deviceType: 'signal', intersectionId };
}

export function meter(id = 'M-1', meterKind: MeterKind | null = 'water'): SenderIdentity {
  return { ...base, id, role: 'device', deviceType: 'meter', meterKind };
}

export function gateway(id = 'GW-1', meters: Record<string, MeterKind | null> = {}): SenderIdentity {
  return {
    ...base,
    id,
    role: 'device',
    deviceType: 'gateway',
    gatewayMeters: new Map(Object.entries(meters)),
  };
}

export function controlService(
  id = 'control',
  rights: SenderIdentity['rights'] = ['plan:publish'],
): SenderIdentity {
  return { ...base, id, role: 'service', deviceType: null, rights };
}
