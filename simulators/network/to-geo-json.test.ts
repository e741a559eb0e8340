import { describe, expect, it } from 'vitest';
import { NetworkGeoJson } from '../../dashboard/shared/contract.ts';
import { generateCity, generateNetwork } from './generate-network.ts';
import { toGeoJson } from './to-geo-json.ts';

describe('toGeoJson', () => {
  const net = generateNetwork({ intersections: 9, seed: 1, buildings: 20 });
  const geo = toGeoJson(net);

  it('has one feature per link, intersection, camera and building, with ids', () => {
    const count = (kind: string) => geo.features.filter((f) => f.properties.kind === kind).length;
    expect(count('link')).toBe(net.links.length);
    expect(count('intersection')).toBe(9);
    expect(count('camera')).toBe(net.cameras.length);
    expect(count('building')).toBe(20);
    const link = geo.features.find((f) => f.properties.id === net.links[0]?.id);
    expect(link?.geometry.type).toBe('LineString');
    expect(link?.properties.roadClass).toBe(net.links[0]?.roadClass);
    expect(link?.properties.lanes).toBe(net.links[0]?.lanes);
  });

  it('matches the dashboard contract and bounds everything drawn', () => {
    expect(() => NetworkGeoJson.parse(geo)).not.toThrow();
    const [w, s, e, n] = geo.bbox;
    for (const x of net.intersections) {
      expect(x.position[0]).toBeGreaterThanOrEqual(w);
      expect(x.position[0]).toBeLessThanOrEqual(e);
      expect(x.position[1]).toBeGreaterThanOrEqual(s);
      expect(x.position[1]).toBeLessThanOrEqual(n);
    }
  });

  it('draws streamed buildings when handed them', () => {
    const city = generateCity({ intersections: 4, seed: 1, buildings: 7 });
    const streamed = toGeoJson(city.network, city.buildings());
    expect(streamed.features.filter((f) => f.properties.kind === 'building')).toHaveLength(7);
  });
});
