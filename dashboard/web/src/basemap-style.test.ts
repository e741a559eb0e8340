import { describe, expect, it } from 'vitest';
import { BASEMAP_SOURCE, basemapStyle } from './basemap-style.ts';

const base = {
  url: '/api/basemap.pmtiles',
  minZoom: 0,
  maxZoom: 14,
  bounds: [37.3, 55.5, 37.9, 56] as [number, number, number, number],
};

describe('basemapStyle', () => {
  it('reads a raster archive from our own origin through the pmtiles protocol', () => {
    const s = basemapStyle({ ...base, tileType: 'png', vectorLayers: [] }, 'http://127.0.0.1:8080');
    expect(s.source).toEqual({
      type: 'raster',
      url: 'pmtiles://http://127.0.0.1:8080/api/basemap.pmtiles',
      tileSize: 256,
    });
    expect(s.layers.map((l) => l.type)).toEqual(['raster']);
  });

  it('draws each vector layer as fills and lines, never as text', () => {
    const s = basemapStyle(
      { ...base, tileType: 'mvt', vectorLayers: ['roads', 'water'] },
      'https://ops.city',
    );
    expect(s.source).toEqual({ type: 'vector', url: 'pmtiles://https://ops.city/api/basemap.pmtiles' });
    expect(s.layers.map((l) => l.id)).toEqual([
      'basemap-roads-fill',
      'basemap-roads-line',
      'basemap-water-fill',
      'basemap-water-line',
    ]);
    expect(s.layers.every((l) => 'source' in l && l.source === BASEMAP_SOURCE)).toBe(true);
    expect(s.layers.some((l) => l.type === 'symbol')).toBe(false);
  });
});
