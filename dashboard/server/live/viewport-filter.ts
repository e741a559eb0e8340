import type { CityNetwork, LonLat } from '../../../protocol/network.ts';
import type { Bbox, Viewport } from '../../shared/contract.ts';

/** Below this zoom only arterial links are sent (side streets are not drawn that far out). */
export const SIDE_LINK_MIN_ZOOM = 13;
/** Below this zoom cameras are not sent. */
export const CAMERA_MIN_ZOOM = 14;
/** Below this zoom meters are not sent. */
export const METER_MIN_ZOOM = 15;

/** Ids of the live items a viewport shows. */
export interface ViewportIds {
  readonly intersections: ReadonlySet<string>;
  readonly links: ReadonlySet<string>;
  readonly cameras: ReadonlySet<string>;
  readonly meters: ReadonlySet<string>;
}

interface Placed {
  readonly id: string;
  readonly bbox: Bbox;
}

/** Where every live item sits, computed once per network so a viewport is a scan of boxes. */
export interface ViewportIndex {
  readonly intersections: readonly Placed[];
  readonly arterialLinks: readonly Placed[];
  readonly sideLinks: readonly Placed[];
  readonly cameras: readonly Placed[];
  readonly meters: readonly Placed[];
}

function pointBox(p: LonLat): Bbox {
  return [p[0], p[1], p[0], p[1]];
}

function lineBox(points: readonly LonLat[]): Bbox {
  let w = 180;
  let s = 90;
  let e = -180;
  let n = -90;
  for (const [lon, lat] of points) {
    w = Math.min(w, lon);
    e = Math.max(e, lon);
    s = Math.min(s, lat);
    n = Math.max(n, lat);
  }
  return [w, s, e, n];
}

export function buildViewportIndex(network: CityNetwork): ViewportIndex {
  const positions = new Map(network.intersections.map((i) => [i.id, i.position]));
  const cameras: Placed[] = [];
  for (const c of network.cameras) {
    const p = positions.get(c.intersectionId);
    if (p) cameras.push({ id: c.id, bbox: pointBox(p) });
  }
  return {
    intersections: network.intersections.map((i) => ({ id: i.id, bbox: pointBox(i.position) })),
    arterialLinks: network.links
      .filter((l) => l.roadClass === 'arterial')
      .map((l) => ({ id: l.id, bbox: lineBox(l.geometry) })),
    sideLinks: network.links
      .filter((l) => l.roadClass !== 'arterial')
      .map((l) => ({ id: l.id, bbox: lineBox(l.geometry) })),
    cameras,
    meters: network.buildings.flatMap((b) => b.meters.map((m) => ({ id: m.id, bbox: pointBox(b.position) }))),
  };
}

/** True when two boxes overlap (touching counts). Boxes never cross the antimeridian here. */
export function boxesOverlap(a: Bbox, b: Bbox): boolean {
  return a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];
}

function inside(items: readonly Placed[], bbox: Bbox, into: Set<string>): void {
  for (const it of items) if (boxesOverlap(it.bbox, bbox)) into.add(it.id);
}

/**
 * The items a viewport shows: everything whose extent overlaps the box, thinned by zoom so a
 * client looking at the whole city is not sent every meter.
 */
export function filterViewport(index: ViewportIndex, viewport: Viewport): ViewportIds {
  const { bbox, zoom } = viewport;
  const intersections = new Set<string>();
  const links = new Set<string>();
  const cameras = new Set<string>();
  const meters = new Set<string>();
  inside(index.intersections, bbox, intersections);
  inside(index.arterialLinks, bbox, links);
  if (zoom >= SIDE_LINK_MIN_ZOOM) inside(index.sideLinks, bbox, links);
  if (zoom >= CAMERA_MIN_ZOOM) inside(index.cameras, bbox, cameras);
  if (zoom >= METER_MIN_ZOOM) inside(index.meters, bbox, meters);
  return { intersections, links, cameras, meters };
}
