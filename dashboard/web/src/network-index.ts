import type { LonLat } from '../../../protocol/network.ts';
import type { NetworkFeature, NetworkGeoJson } from '../../shared/contract.ts';
import type { SourceId } from './map-style.ts';

/** A network feature with the numeric id MapLibre's feature-state needs. */
export type NumberedFeature = NetworkFeature & { id: number };

export interface IndexedFeature {
  kind: SourceId;
  id: string;
  /** Numeric id the map uses for feature-state. */
  num: number;
  name: string;
  position: LonLat;
  /** Cameras: the intersection they watch. */
  parent: string | null;
}

/**
 * The network as the map needs it: one FeatureCollection per source, each feature with a
 * numeric id (MapLibre's feature-state wants numbers for GeoJSON), and lookups by string id.
 */
export class NetworkIndex {
  readonly collections: Record<SourceId, { type: 'FeatureCollection'; features: NumberedFeature[] }> = {
    links: { type: 'FeatureCollection', features: [] },
    intersections: { type: 'FeatureCollection', features: [] },
    cameras: { type: 'FeatureCollection', features: [] },
    buildings: { type: 'FeatureCollection', features: [] },
  };
  private readonly byKey = new Map<string, IndexedFeature>();
  readonly bbox: [number, number, number, number];

  constructor(geo: NetworkGeoJson) {
    let w = 180;
    let s = 90;
    let e = -180;
    let n = -90;
    const extend = ([lon, lat]: readonly [number, number]) => {
      w = Math.min(w, lon);
      e = Math.max(e, lon);
      s = Math.min(s, lat);
      n = Math.max(n, lat);
    };
    for (const f of geo.features) {
      const kind = sourceOf(f);
      const collection = this.collections[kind];
      const num = collection.features.length + 1;
      collection.features.push({ ...f, id: num });
      const p = f.properties;
      let position: LonLat;
      if (f.geometry.type === 'LineString') {
        for (const c of f.geometry.coordinates) extend(c);
        const mid = f.geometry.coordinates[Math.floor(f.geometry.coordinates.length / 2)];
        position = mid ?? [0, 0];
      } else {
        extend(f.geometry.coordinates);
        position = f.geometry.coordinates;
      }
      const name = 'name' in p && typeof p.name === 'string' && p.name !== '' ? p.name : p.id;
      const parent = p.kind === 'camera' ? p.intersectionId : null;
      this.byKey.set(`${kind}:${p.id}`, { kind, id: p.id, num, name, position, parent });
    }
    this.bbox = geo.bbox ?? [w, s, e, n];
  }

  get(kind: SourceId, id: string): IndexedFeature | undefined {
    return this.byKey.get(`${kind}:${id}`);
  }

  all(kind: SourceId): IndexedFeature[] {
    return [...this.byKey.values()].filter((f) => f.kind === kind);
  }
}

function sourceOf(f: NetworkFeature): SourceId {
  switch (f.properties.kind) {
    case 'link':
      return 'links';
    case 'intersection':
      return 'intersections';
    case 'camera':
      return 'cameras';
    case 'building':
      return 'buildings';
  }
}
