import type { Viewport } from '../../shared/contract.ts';

/**
 * The viewport message for the map's current bounds. Zoomed far out (or wrapped around the
 * antimeridian) MapLibre reports longitudes beyond ±180: clamp to what the contract accepts.
 */
export function viewportOf(west: number, south: number, east: number, north: number, zoom: number): Viewport {
  const lon = (x: number) => Math.min(180, Math.max(-180, x));
  const lat = (y: number) => Math.min(90, Math.max(-90, y));
  return {
    bbox: [lon(west), lat(south), lon(east), lat(north)],
    zoom: Math.min(24, Math.max(0, zoom)),
  };
}
