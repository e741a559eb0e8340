import { describe, expect, it } from 'vitest';
import { NetworkIndex } from './network-index.ts';

describe('NetworkIndex', () => {
  const index = new NetworkIndex({
    type: 'FeatureCollection',
    features: [
      {
        type: 'Feature',
        geometry: {
          type: 'LineString',
          coordinates: [
            [37.6, 55.7],
            [37.62, 55.71],
            [37.64, 55.72],
          ],
        },
        properties: { id: 'L1', kind: 'link', roadClass: 'arterial', lanes: 3 },
      },
      {
        type: 'Feature',
        geometry: { type: 'Point', coordinates: [37.61, 55.75] },
        properties: { id: 'I1', kind: 'intersection', name: 'Tverskaya & Mokhovaya' },
      },
      {
        type: 'Feature',
        geometry: { type: 'Point', coordinates: [37.5, 55.69] },
        properties: { id: 'B1', kind: 'building' },
      },
      {
        type: 'Feature',
        geometry: { type: 'Point', coordinates: [37.61, 55.75] },
        properties: { id: 'C1', kind: 'camera', intersectionId: 'I1', approach: 'N' },
      },
    ],
  });

  it('splits features by kind and numbers them for feature-state', () => {
    expect(index.collections.links.features).toHaveLength(1);
    expect(index.collections.intersections.features[0]).toMatchObject({ id: 1 });
    expect(index.get('intersections', 'I1')).toMatchObject({ num: 1, name: 'Tverskaya & Mokhovaya' });
  });
  it('names features without a name by their id and places links at their middle', () => {
    expect(index.get('buildings', 'B1')?.name).toBe('B1');
    expect(index.get('links', 'L1')?.position).toEqual([37.62, 55.71]);
  });
  it('moves a camera drawn on its junction 30 m up its approach', () => {
    const c = index.get('cameras', 'C1');
    expect(c?.parent).toBe('I1');
    expect(c?.position[0]).toBe(37.61);
    expect(((c?.position[1] ?? 0) - 55.75) * 111_320).toBeCloseTo(30, 5);
    expect(index.collections.cameras.features[0]?.geometry.coordinates).toEqual(c?.position);
  });
  it('computes the bounding box of everything', () => {
    expect(index.bbox).toEqual([37.5, 55.69, 37.64, 55.75]);
  });
});

describe('NetworkIndex.add', () => {
  it('adds features that arrive later, numbering each collection on and placing cameras', () => {
    const index = new NetworkIndex({
      type: 'FeatureCollection',
      bbox: [37, 55, 38, 56],
      features: [
        {
          type: 'Feature',
          geometry: { type: 'Point', coordinates: [37.61, 55.75] },
          properties: { id: 'I1', kind: 'intersection', name: 'I1' },
        },
      ],
    });
    expect(index.get('cameras', 'C1')).toBeUndefined();
    index.add({
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          geometry: { type: 'Point', coordinates: [37.61, 55.75] },
          properties: { id: 'C1', kind: 'camera', intersectionId: 'I1', approach: 'S' },
        },
        {
          type: 'Feature',
          geometry: { type: 'Point', coordinates: [37.5, 55.69] },
          properties: { id: 'B1', kind: 'building' },
        },
      ],
    });
    expect(index.get('buildings', 'B1')).toMatchObject({ num: 1, position: [37.5, 55.69] });
    expect(index.get('cameras', 'C1')?.parent).toBe('I1');
    expect(index.get('cameras', 'C1')?.position[1]).toBeLessThan(55.75);
    expect(index.bbox).toEqual([37, 55, 38, 56]);
    expect(index.collections.cameras.features).toHaveLength(1);
  });
});
