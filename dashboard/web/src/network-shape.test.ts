import { describe, expect, it } from 'vitest';
import { isNetworkGeoJson, NetworkShape } from './network-shape.ts';

const link = {
  type: 'Feature',
  geometry: {
    type: 'LineString',
    coordinates: [
      [37.6, 55.7],
      [37.61, 55.71],
    ],
  },
  properties: { id: 'L1', kind: 'link', roadClass: 'side', lanes: 1 },
};
const junction = {
  type: 'Feature',
  geometry: { type: 'Point', coordinates: [37.6, 55.7] },
  properties: { id: 'I1', kind: 'intersection', name: 'A & B' },
};

describe('isNetworkGeoJson', () => {
  it('accepts a network collection and passes the same object through the schema', () => {
    const geo = { type: 'FeatureCollection', bbox: [37.6, 55.7, 37.61, 55.71], features: [link, junction] };
    expect(isNetworkGeoJson(geo)).toBe(true);
    expect(NetworkShape.parse(geo)).toBe(geo);
  });

  it('refuses what is not a network collection', () => {
    expect(isNetworkGeoJson(null)).toBe(false);
    expect(isNetworkGeoJson({ type: 'FeatureCollection' })).toBe(false);
    expect(isNetworkGeoJson({ type: 'Feature', features: [] })).toBe(false);
    const bad = (f: unknown) => isNetworkGeoJson({ type: 'FeatureCollection', features: [link, f] });
    expect(bad({ ...junction, properties: { kind: 'intersection' } })).toBe(false);
    expect(bad({ ...junction, properties: { id: 'X', kind: 'tram' } })).toBe(false);
    expect(bad({ ...junction, geometry: { type: 'LineString', coordinates: [] } })).toBe(false);
    expect(bad({ ...link, geometry: { type: 'LineString' } })).toBe(false);
    expect(NetworkShape.safeParse({ features: [] }).success).toBe(false);
  });
});
