import type { Viewport } from '../../dashboard/shared/contract.ts';
import { seededRng } from '../../simulators/devices/seeded-rng.ts';

/**
 * The viewports of a crowd of dashboard clients: a few operators watching the whole city, more
 * on a district, most zoomed into a few streets (the wall screen shows the city, desks drill
 * down). Deterministic for a seed, so runs compare.
 */

export type ViewClass = 'city' | 'district' | 'street';
export const viewClasses: readonly ViewClass[] = ['city', 'district', 'street'];

export interface ClientView {
  readonly viewClass: ViewClass;
  readonly viewport: Viewport;
}

/** Share of clients per class (they need not sum to 1: they are normalised). */
export type ViewMix = Readonly<Record<ViewClass, number>>;

export const defaultViewMix: ViewMix = { city: 0.02, district: 0.18, street: 0.8 };

/** Zoom of each class: district shows ~1/20 of a 4,000-junction city, street a handful of blocks. */
export const viewZoom: Readonly<Record<ViewClass, number>> = { city: 12, district: 14, street: 16 };

/** A 1280 × 800 CSS-pixel map, as on a laptop. */
const SCREEN = { width: 1280, height: 800 } as const;

/** Degrees of longitude / latitude a screen shows at `zoom` near latitude `lat` (Web Mercator, 256 px tiles). */
export function spanAt(zoom: number, lat: number): { lon: number; lat: number } {
  const degPerPx = 360 / (256 * 2 ** zoom);
  return { lon: SCREEN.width * degPerPx, lat: SCREEN.height * degPerPx * Math.cos((lat * Math.PI) / 180) };
}

/** How many of `n` clients fall in each class (largest remainder, so the counts sum to n). */
export function classCounts(n: number, mix: ViewMix = defaultViewMix): Record<ViewClass, number> {
  const total = viewClasses.reduce((s, c) => s + mix[c], 0);
  const exact = viewClasses.map((c) => (n * mix[c]) / total);
  const counts = exact.map(Math.floor);
  const order = exact.map((x, i) => ({ i, r: x - Math.floor(x) })).sort((a, b) => b.r - a.r);
  const left = n - counts.reduce((s, x) => s + x, 0);
  for (let k = 0; k < left; k++) {
    const i = order[k % order.length]?.i ?? 0;
    counts[i] = (counts[i] ?? 0) + 1;
  }
  return { city: counts[0] ?? 0, district: counts[1] ?? 0, street: counts[2] ?? 0 };
}

/**
 * `n` client views over a city's bounding box `[w, s, e, n]`: whole-city views cover the box,
 * the others are centred uniformly at random inside it. Classes are interleaved, so a prefix of
 * the list (a ramp cut short) keeps the mix.
 */
export function viewportMix(
  bbox: readonly [number, number, number, number],
  n: number,
  seed: number,
  mix: ViewMix = defaultViewMix,
): ClientView[] {
  const rand = seededRng(seed);
  const [w, s, e, nn] = bbox;
  const counts = classCounts(n, mix);
  const views: ClientView[] = [];
  for (const viewClass of viewClasses) {
    for (let k = 0; k < counts[viewClass]; k++) {
      if (viewClass === 'city') {
        views.push({ viewClass, viewport: { bbox: [w, s, e, nn], zoom: viewZoom.city } });
        continue;
      }
      const cx = w + rand() * (e - w);
      const cy = s + rand() * (nn - s);
      const span = spanAt(viewZoom[viewClass], cy);
      views.push({
        viewClass,
        viewport: {
          bbox: [cx - span.lon / 2, cy - span.lat / 2, cx + span.lon / 2, cy + span.lat / 2],
          zoom: viewZoom[viewClass],
        },
      });
    }
  }
  return interleave(views, n);
}

/** Spreads each class evenly over the list (ordered by rank within the class over its size). */
function interleave(views: readonly ClientView[], n: number): ClientView[] {
  const size = new Map<ViewClass, number>();
  for (const v of views) size.set(v.viewClass, (size.get(v.viewClass) ?? 0) + 1);
  const seen = new Map<ViewClass, number>();
  const keyed = views.map((v, i) => {
    const rank = seen.get(v.viewClass) ?? 0;
    seen.set(v.viewClass, rank + 1);
    return { v, key: (rank + 0.5) / (size.get(v.viewClass) ?? 1), i };
  });
  return keyed
    .sort((a, b) => a.key - b.key || a.i - b.i)
    .slice(0, n)
    .map((k) => k.v);
}
