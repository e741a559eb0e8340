import type { CityNetwork, MeterKind } from '../../protocol/index.ts';
import {
  type DeviceGroup,
  type GatewayGroup,
  groupMessagesPerSec,
  type Profile,
  readingsPerBatch,
} from '../load/profiles.ts';

/**
 * The dashboard's MQTT feed at a profile's message rates, on a generated network's own ids (the
 * dashboard folds in only devices its network knows). Signals and cameras keep the profile's
 * periods; gateways send the profile's batches per second, spread over the network's gateways,
 * each batch reading that gateway's meters round-robin. Pure: the worker publishes it.
 */

export interface FeedMeter {
  readonly id: string;
  readonly kind: MeterKind;
}

export type FeedGroup =
  | { readonly kind: 'signal' | 'camera'; readonly ids: readonly string[]; readonly periodMs: number }
  | {
      readonly kind: 'gateway';
      readonly ids: readonly string[];
      readonly periodMs: number;
      /** Meters behind each gateway, in `ids` order. */
      readonly meters: readonly (readonly FeedMeter[])[];
      readonly readingsPerBatch: number;
    };

function group(p: Profile, type: 'signal' | 'camera'): DeviceGroup | undefined {
  return p.groups.find((g): g is DeviceGroup => g.type === type);
}

function gatewayGroup(p: Profile): GatewayGroup | undefined {
  return p.groups.find((g): g is GatewayGroup => g.type === 'gateway');
}

export function dashboardFeed(network: CityNetwork, profile: Profile): FeedGroup[] {
  const out: FeedGroup[] = [];
  const signal = group(profile, 'signal');
  if (signal && network.intersections.length > 0)
    out.push({ kind: 'signal', ids: network.intersections.map((i) => i.id), periodMs: signal.periodMs });
  const camera = group(profile, 'camera');
  if (camera && network.cameras.length > 0)
    out.push({ kind: 'camera', ids: network.cameras.map((c) => c.id), periodMs: camera.periodMs });
  const gateway = gatewayGroup(profile);
  const behind = new Map<string, FeedMeter[]>();
  for (const b of network.buildings)
    for (const m of b.meters)
      if (m.gatewayId !== undefined) {
        const list = behind.get(m.gatewayId) ?? [];
        list.push({ id: m.id, kind: m.kind });
        behind.set(m.gatewayId, list);
      }
  const ids = [...behind.keys()].sort();
  if (gateway && ids.length > 0) {
    const msgsPerSec = groupMessagesPerSec(gateway);
    out.push({
      kind: 'gateway',
      ids,
      periodMs: (ids.length * 1000) / msgsPerSec,
      meters: ids.map((id) => behind.get(id) ?? []),
      readingsPerBatch: readingsPerBatch(gateway),
    });
  }
  return out;
}

/** Messages and readings per second a feed offers. */
export function feedRates(groups: readonly FeedGroup[]): { msgsPerSec: number; readingsPerSec: number } {
  let msgsPerSec = 0;
  let readingsPerSec = 0;
  for (const g of groups) {
    const m = (g.ids.length * 1000) / g.periodMs;
    msgsPerSec += m;
    readingsPerSec += g.kind === 'gateway' ? m * g.readingsPerBatch : m;
  }
  return { msgsPerSec, readingsPerSec };
}
