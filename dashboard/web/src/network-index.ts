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
    const [w, s, e, n] = this.add(geo);
    this.bbox = geo.bbox ?? [w, s, e, n];
  }

  /**
   * Adds features that arrive later (cameras and buildings come after the first draw); each
   * collection keeps numbering where it stopped. Returns the bbox of the added features.
   */
  add(geo: NetworkGeoJson): [number, number, number, number] {
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
    this.placeCameras();
    return [w, s, e, n];
  }

  /**
   * A camera drawn on its junction's centre hides under the signal's circle: move it up its
   * approach (the side its vehicles come from), as a camera on a pole before the stop line is.
   */
  private placeCameras(): void {
    for (const f of this.collections.cameras.features) {
      if (f.properties.kind !== 'camera' || f.geometry.type !== 'Point') continue;
      const junction = this.byKey.get(`intersections:${f.properties.intersectionId}`);
      const approach = f.properties.approach;
      if (!junction || !approach) continue;
      const [lon, lat] = f.geometry.coordinates;
      if (lon !== junction.position[0] || lat !== junction.position[1]) continue;
      const moved = offsetTowards(junction.position, approach, CAMERA_SETBACK_M);
      f.geometry = { type: 'Point', coordinates: moved };
      const entry = this.byKey.get(`cameras:${f.properties.id}`);
      if (entry) entry.position = moved;
    }
  }

  get(kind: SourceId, id: string): IndexedFeature | undefined {
    return this.byKey.get(`${kind}:${id}`);
  }

  all(kind: SourceId): IndexedFeature[] {
    return [...this.byKey.values()].filter((f) => f.kind === kind);
  }
}

/** How far up its approach a camera is drawn, m. */
export const CAMERA_SETBACK_M = 30;

/** The point `meters` from `p` towards the side `dir` (N = north). Small distances: flat earth is fine. */
export function offsetTowards(p: LonLat, dir: 'N' | 'E' | 'S' | 'W', meters: number): LonLat {
  const dLat = meters / 111_320;
  const dLon = meters / (111_320 * Math.cos((p[1] * Math.PI) / 180));
  switch (dir) {
    case 'N':
      return [p[0], p[1] + dLat];
    case 'S':
      return [p[0], p[1] - dLat];
    case 'E':
      return [p[0] + dLon, p[1]];
    case 'W':
      return [p[0] - dLon, p[1]];
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
