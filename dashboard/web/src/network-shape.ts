import { z } from 'zod';
import type { NetworkGeoJson } from '../../shared/contract.ts';

const kinds = new Set(['link', 'intersection', 'camera', 'building']);

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null;

/**
 * A cheap check of our own server's network answer: the collection, and per feature its kind,
 * id and geometry type. Full zod validation of megabytes of coordinates (and the copy it makes)
 * cost the first render about a second at 4,000 intersections; a server of another version still
 * fails here, loudly, on the fields the map keys on. Nothing is copied.
 */
export function isNetworkGeoJson(x: unknown): x is NetworkGeoJson {
  if (!isRecord(x) || x.type !== 'FeatureCollection' || !Array.isArray(x.features)) return false;
  for (const f of x.features as unknown[]) {
    if (!isRecord(f) || !isRecord(f.properties) || !isRecord(f.geometry)) return false;
    const { id, kind } = f.properties;
    if (typeof id !== 'string' || typeof kind !== 'string' || !kinds.has(kind)) return false;
    const type = f.geometry.type;
    if ((kind === 'link' ? 'LineString' : 'Point') !== type || !Array.isArray(f.geometry.coordinates))
      return false;
  }
  return true;
}

/** The schema `api.get` takes for the network: the cheap check above, the value passed through. */
export const NetworkShape = z.custom<NetworkGeoJson>(isNetworkGeoJson, 'not a network FeatureCollection');
