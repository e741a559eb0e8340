import type { CityNetwork } from '../../protocol/network.ts';
import type { NetworkFeature, NetworkGeoJson } from '../shared/contract.ts';

/** The network as the map draws it: links, intersections, cameras and buildings as features. */
export function networkGeoJson(network: CityNetwork): NetworkGeoJson {
  const features: NetworkFeature[] = [];
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
    features.push({
      type: 'Feature',
      geometry: { type: 'LineString', coordinates: l.geometry },
      properties: {
        id: l.id,
        kind: 'link',
        roadClass: l.roadClass,
        lanes: l.lanes,
        ...(l.name === undefined ? {} : { name: l.name }),
      },
    });
  }
  const positions = new Map(network.intersections.map((i) => [i.id, i.position]));
  for (const i of network.intersections) {
    extend(i.position);
    features.push({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: i.position },
      properties: { id: i.id, kind: 'intersection', name: i.name },
    });
  }
  for (const c of network.cameras) {
    const p = positions.get(c.intersectionId);
    if (!p) continue;
    features.push({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: p },
      properties: { id: c.id, kind: 'camera', intersectionId: c.intersectionId, approach: c.approach },
    });
  }
  for (const b of network.buildings) {
    extend(b.position);
    features.push({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: b.position },
      properties: { id: b.id, kind: 'building', use: b.use },
    });
  }
  return { type: 'FeatureCollection', bbox: [w, s, e, n], features };
}
