import type { Building, CityNetwork, LonLat } from '../../protocol/index.ts';

type Props = Record<string, string | number>;
export interface GeoFeature {
  readonly type: 'Feature';
  readonly geometry:
    | { readonly type: 'Point'; readonly coordinates: LonLat }
    | { readonly type: 'LineString'; readonly coordinates: LonLat[] };
  readonly properties: Props & {
    readonly id: string;
    readonly kind: 'link' | 'intersection' | 'camera' | 'building';
  };
}
export interface GeoFeatureCollection {
  readonly type: 'FeatureCollection';
  /** [west, south, east, north] of everything drawn. */
  readonly bbox: [number, number, number, number];
  readonly features: GeoFeature[];
}

/** Cameras are drawn this far up their approach from the junction centre, m. */
const CAMERA_SETBACK_M = 30;

/**
 * The network as one GeoJSON FeatureCollection for the map (the shape dashboard/shared/contract.ts
 * expects): links as LineStrings with roadClass and lanes, intersections, cameras (a little up
 * their approach) and buildings as Points, each with its id and `kind`.
 */
export function toGeoJson(
  network: CityNetwork,
  buildings: Iterable<Building> = network.buildings,
): GeoFeatureCollection {
  const features: GeoFeature[] = [];
  const box: [number, number, number, number] = [180, 90, -180, -90];
  const grow = (p: LonLat) => {
    box[0] = Math.min(box[0], p[0]);
    box[1] = Math.min(box[1], p[1]);
    box[2] = Math.max(box[2], p[0]);
    box[3] = Math.max(box[3], p[1]);
  };
  for (const l of network.links) {
    l.geometry.forEach(grow);
    const properties = { id: l.id, kind: 'link' as const, roadClass: l.roadClass, lanes: l.lanes };
    features.push({
      type: 'Feature',
      geometry: { type: 'LineString', coordinates: l.geometry.map((p) => [p[0], p[1]] as LonLat) },
      properties: l.name === undefined ? properties : { ...properties, name: l.name },
    });
  }
  const positions = new Map<string, LonLat>();
  for (const x of network.intersections) {
    grow(x.position);
    positions.set(x.id, x.position);
    features.push({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: x.position },
      properties: { id: x.id, kind: 'intersection', name: x.name },
    });
  }
  const links = new Map(network.links.map((l) => [l.id, l]));
  for (const c of network.cameras) {
    const at = positions.get(c.intersectionId);
    if (!at) continue;
    const link = links.get(c.linkId);
    const from = link?.geometry[0] ?? at;
    const len = link?.lengthM ?? 1;
    const f = Math.min(1, CAMERA_SETBACK_M / len);
    const p: LonLat = [round6(at[0] + (from[0] - at[0]) * f), round6(at[1] + (from[1] - at[1]) * f)];
    features.push({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: p },
      properties: { id: c.id, kind: 'camera', intersectionId: c.intersectionId, approach: c.approach },
    });
  }
  for (const b of buildings) {
    grow(b.position);
    features.push({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: b.position },
      properties: { id: b.id, kind: 'building', use: b.use },
    });
  }
  return { type: 'FeatureCollection', bbox: box, features };
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
