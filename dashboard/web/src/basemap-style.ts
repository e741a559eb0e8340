import type { LayerSpecification, SourceSpecification } from 'maplibre-gl';
import type { BasemapInfo } from '../../shared/contract.ts';

type Basemap = NonNullable<BasemapInfo['basemap']>;

export const BASEMAP_SOURCE = 'basemap';

/** Muted, so the basemap stays behind the live layers on a dark control-room wall. */
export const basemapColors = { fill: '#17202b', line: '#2a3644', rasterOpacity: 0.55 } as const;

/**
 * The source and layers of the optional basemap. The archive is read through the `pmtiles://`
 * protocol from our own origin (the session cookie goes along; the CSP's `connect-src 'self'`
 * holds). Raster archives get one dimmed raster layer; vector archives a fill and a line layer
 * per vector layer, because we cannot know the schema of an operator's own tiles and draw no
 * labels (they would need glyphs).
 */
export function basemapStyle(
  b: Basemap,
  origin: string,
): { source: SourceSpecification; layers: LayerSpecification[] } {
  const url = `pmtiles://${origin}${b.url}`;
  if (b.tileType !== 'mvt') {
    return {
      source: { type: 'raster', url, tileSize: 256 },
      layers: [
        {
          id: 'basemap-raster',
          type: 'raster',
          source: BASEMAP_SOURCE,
          paint: { 'raster-opacity': basemapColors.rasterOpacity, 'raster-saturation': -0.7 },
        },
      ],
    };
  }
  const layers: LayerSpecification[] = [];
  for (const id of b.vectorLayers) {
    layers.push({
      id: `basemap-${id}-fill`,
      type: 'fill',
      source: BASEMAP_SOURCE,
      'source-layer': id,
      filter: ['==', ['geometry-type'], 'Polygon'],
      paint: { 'fill-color': basemapColors.fill, 'fill-opacity': 0.8 },
    });
    layers.push({
      id: `basemap-${id}-line`,
      type: 'line',
      source: BASEMAP_SOURCE,
      'source-layer': id,
      filter: ['==', ['geometry-type'], 'LineString'],
      paint: { 'line-color': basemapColors.line, 'line-width': 1 },
    });
  }
  return { source: { type: 'vector', url }, layers };
}
