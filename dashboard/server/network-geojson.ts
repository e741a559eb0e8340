import type { CityNetwork, LonLat } from '../../protocol/network.ts';
import type { NetworkFeature, NetworkGeoJson } from '../shared/contract.ts';

/**
 * The network as the map draws it, in two parts. `core` (links and intersections) is what the
 * whole-city view draws and what the first render waits for; `extras` (cameras and buildings) are
 * drawn only from zoom 12-13 on, so the browser fetches them after the first draw. At 4,000
 * intersections buildings and cameras were 58 % of the bytes of one combined answer.
 */
export interface NetworkLayers {
  readonly core: NetworkGeoJson;
  readonly extras: NetworkGeoJson;
}

/** 5 decimal places of a degree: ≤ 1.1 m, finer than any line or dot the map draws. */
const round = (x: number): number => Math.round(x * 1e5) / 1e5;
const roundPoint = ([lon, lat]: LonLat): [number, number] => [round(lon), round(lat)];

export function networkLayers(network: CityNetwork): NetworkLayers {
  const core: NetworkFeature[] = [];
  const extras: NetworkFeature[] = [];
  let w = 180;
  let s = 90;
  let e = -180;
  let n = -90;
  const extend = ([lon, lat]: readonly [number, number]): void => {
    w = Math.min(w, lon);
    e = Math.max(e, lon);
    s = Math.min(s, lat);
    n = Math.max(n, lat);
  };
  for (const l of network.links) {
    for (const p of l.geometry) extend(p);
    core.push({
      type: 'Feature',
      geometry: { type: 'LineString', coordinates: l.geometry.map(roundPoint) },
      properties: {
        id: l.id,
        kind: 'link',
        roadClass: l.roadClass,
        lanes: l.lanes,
        ...(l.name === undefined ? {} : { name: l.name }),
      },
    });
  }
  const positions = new Map(network.intersections.map((i) => [i.id, roundPoint(i.position)]));
  for (const i of network.intersections) {
    extend(i.position);
    core.push({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: positions.get(i.id) ?? roundPoint(i.position) },
      properties: { id: i.id, kind: 'intersection', name: i.name },
    });
  }
  for (const c of network.cameras) {
    const p = positions.get(c.intersectionId);
    if (!p) continue;
    extras.push({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: p },
      properties: { id: c.id, kind: 'camera', intersectionId: c.intersectionId, approach: c.approach },
    });
  }
  for (const b of network.buildings) {
    extend(b.position);
    extras.push({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: roundPoint(b.position) },
      properties: { id: b.id, kind: 'building', use: b.use },
    });
  }
  // One bbox over everything (buildings too) for both parts: the first view frames the whole city.
  const bbox: [number, number, number, number] = [w, s, e, n];
  return {
    core: { type: 'FeatureCollection', bbox, features: core },
    extras: { type: 'FeatureCollection', bbox, features: extras },
  };
}
