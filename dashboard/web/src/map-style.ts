import type { ExpressionSpecification, LayerSpecification, StyleSpecification } from 'maplibre-gl';

/** The map's sources, one per kind of network feature; each feature gets a numeric id for feature-state. */
export const sourceIds = ['links', 'intersections', 'cameras', 'buildings'] as const;
export type SourceId = (typeof sourceIds)[number];

/** Layers the legend can toggle, bottom to top. */
export const layerIds = ['links', 'buildings', 'cameras', 'intersections'] as const;
export type LayerId = (typeof layerIds)[number];

export const colors = {
  background: '#0e141b',
  noData: '#5b6675',
  congestion: [
    [0, '#2fbf71'],
    [0.5, '#f5c518'],
    [0.75, '#f07f1d'],
    [1, '#e5484d'],
  ],
  interval: { green: '#2fbf71', yellow: '#f5c518', allRed: '#e5484d' },
  mode: { adaptive: '#4cc3ff', fixed: '#c8d0da', manual: '#b18cff', flash: '#f5c518', off: '#111111' },
  camera: { ok: '#9fb3c8', silent: '#ff4d6d' },
  building: { none: '#6e7fd6', stuck: '#f5a623', outage: '#8b8b8b', leak: '#ff4d6d' },
} as const;

const congestionColor = (): ExpressionSpecification => [
  'case',
  ['boolean', ['feature-state', 'hasData'], false],
  [
    'interpolate',
    ['linear'],
    ['number', ['feature-state', 'congestion'], 0],
    ...colors.congestion.flat(),
  ] as ExpressionSpecification,
  colors.noData,
];

// A `match` over a feature-state string: built from a table, so its arity is only known at runtime.
const byState = (key: string, table: Record<string, string>, fallback: string): ExpressionSpecification =>
  [
    'match',
    ['string', ['feature-state', key], ''],
    ...Object.entries(table).flat(),
    fallback,
  ] as unknown as ExpressionSpecification;

const layers: LayerSpecification[] = [
  {
    id: 'links',
    type: 'line',
    source: 'links',
    layout: { 'line-cap': 'round', 'line-join': 'round' },
    paint: {
      'line-color': congestionColor(),
      // Width by lane count, growing with zoom so a 4-lane arterial stands out from a side street.
      'line-width': [
        'interpolate',
        ['exponential', 1.6],
        ['zoom'],
        10,
        ['*', 0.35, ['get', 'lanes']],
        17,
        ['*', 4, ['get', 'lanes']],
      ],
      'line-opacity': 0.9,
    },
  },
  {
    id: 'buildings',
    type: 'circle',
    source: 'buildings',
    minzoom: 12,
    paint: {
      'circle-color': byState('anomaly', colors.building, colors.building.none),
      // Radius by electric power (log scale): big consumers are visible at a glance.
      'circle-radius': [
        'interpolate',
        ['linear'],
        ['ln', ['+', 1, ['number', ['feature-state', 'powerW'], 0]]],
        0,
        3,
        12,
        9,
      ],
      'circle-opacity': 0.8,
      'circle-stroke-color': '#ffffff',
      'circle-stroke-width': ['case', ['==', ['feature-state', 'anomaly'], 'leak'], 2, 0],
    },
  },
  {
    id: 'cameras',
    type: 'circle',
    source: 'cameras',
    minzoom: 13,
    paint: {
      'circle-color': [
        'case',
        ['boolean', ['feature-state', 'silent'], false],
        colors.camera.silent,
        colors.camera.ok,
      ],
      'circle-radius': ['case', ['boolean', ['feature-state', 'silent'], false], 5, 3],
      'circle-stroke-color': '#0e141b',
      'circle-stroke-width': 1,
    },
  },
  {
    id: 'intersections',
    type: 'circle',
    source: 'intersections',
    paint: {
      // Fill: the interval of the running phase. Ring: the control mode. A thick ring means the
      // controller reports faults or control fell back.
      'circle-color': byState('interval', colors.interval, colors.noData),
      'circle-radius': [
        'interpolate',
        ['linear'],
        ['zoom'],
        10,
        ['case', ['boolean', ['feature-state', 'selected'], false], 6, 3],
        16,
        ['case', ['boolean', ['feature-state', 'selected'], false], 14, 9],
      ],
      'circle-stroke-color': byState('mode', colors.mode, colors.noData),
      'circle-stroke-width': ['case', ['boolean', ['feature-state', 'degraded'], false], 4, 2],
    },
  },
];

const emptyCollection = { type: 'FeatureCollection' as const, features: [] };

/**
 * Tiling of our GeoJSON sources (geojson-vt in MapLibre's worker). The defaults (128-unit buffer,
 * 0.375 px simplification) cost the first render of 15,536 links: a 32-unit buffer (32 px of a
 * 512 px tile) still covers our widest line and circle, and a 1 px tolerance is invisible. The
 * 4,000-intersection first render went from 4.25 s to 2.92 s median in the same run (district
 * baseline ratio 2.28 -> 1.80; benchmarks/README.md).
 */
const tiling = { buffer: 32, tolerance: 1 } as const;

/**
 * The whole map style. Only our own GeoJSON sources: no tiles, glyphs, sprites or fonts from
 * anywhere, so the map works in a control room with no internet. Labels are drawn in HTML.
 */
export function mapStyle(): StyleSpecification {
  return {
    version: 8,
    name: 'city-operations',
    sources: Object.fromEntries(
      sourceIds.map((id) => [id, { type: 'geojson', data: emptyCollection, ...tiling }]),
    ) as StyleSpecification['sources'],
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': colors.background } },
      ...layers,
    ],
  };
}
