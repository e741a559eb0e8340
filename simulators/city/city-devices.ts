import type { Approach, CityNetwork, MeterKind } from '../../protocol/index.ts';

/** One field device of the simulated city, as the registry provisions it. */
export type CityDevice =
  | {
      readonly id: string;
      readonly type: 'camera';
      readonly intersectionId: string;
      readonly approach: Approach;
    }
  | { readonly id: string; readonly type: 'signal'; readonly intersectionId: string }
  | { readonly id: string; readonly type: 'gateway' }
  | {
      readonly id: string;
      readonly type: 'meter';
      readonly meterKind: MeterKind;
      readonly gatewayId?: string;
    };

/** The MQTT-connected device id of an intersection's signal controller. */
export function signalDeviceId(intersectionId: string): string {
  return `sig-${intersectionId}`.slice(0, 64);
}

/**
 * Every device of the city that holds its own credentials: cameras, signal controllers,
 * gateways and ALL meters (a meter behind a gateway is registered too, so the broker knows
 * which meters each gateway may speak for; only directly-reporting meters connect).
 * Gateways come first: the registry checks a meter's gateway exists.
 */
export function cityDevices(network: CityNetwork): CityDevice[] {
  const out: CityDevice[] = [];
  for (const g of network.gateways) out.push({ id: g.id, type: 'gateway' });
  for (const i of network.intersections)
    out.push({ id: signalDeviceId(i.id), type: 'signal', intersectionId: i.id });
  for (const c of network.cameras) {
    out.push({ id: c.id, type: 'camera', intersectionId: c.intersectionId, approach: c.approach });
  }
  for (const b of network.buildings) {
    for (const m of b.meters) {
      out.push(
        m.gatewayId === undefined
          ? { id: m.id, type: 'meter', meterKind: m.kind }
          : { id: m.id, type: 'meter', meterKind: m.kind, gatewayId: m.gatewayId },
      );
    }
  }
  return out;
}

/** Devices that open an MQTT connection of their own (meters behind a gateway do not). */
export function connectingDevices(network: CityNetwork): CityDevice[] {
  return cityDevices(network).filter((d) => d.type !== 'meter' || d.gatewayId === undefined);
}
