import { describe, expect, it } from 'vitest';
import { classCounts, spanAt, viewportMix } from './socket-viewports.ts';

const bbox = [37.4, 55.7, 37.8, 55.9] as const;

describe('classCounts', () => {
  it('splits clients by the mix and always sums to the total', () => {
    expect(classCounts(500)).toEqual({ city: 10, district: 90, street: 400 });
    for (const n of [0, 1, 7, 33, 499]) {
      const c = classCounts(n);
      expect(c.city + c.district + c.street).toBe(n);
    }
  });
});

describe('spanAt', () => {
  it('halves the span per zoom level and narrows latitude away from the equator', () => {
    const z14 = spanAt(14, 55.75);
    const z15 = spanAt(15, 55.75);
    expect(z15.lon).toBeCloseTo(z14.lon / 2, 10);
    expect(spanAt(14, 0).lat).toBeGreaterThan(z14.lat);
  });
});

describe('viewportMix', () => {
  it('gives whole-city views the city box and centres the others inside it', () => {
    const views = viewportMix(bbox, 100, 1);
    expect(views).toHaveLength(100);
    for (const v of views) {
      const [w, s, e, n] = v.viewport.bbox;
      if (v.viewClass === 'city') expect(v.viewport.bbox).toEqual([...bbox]);
      else {
        const cx = (w + e) / 2;
        const cy = (s + n) / 2;
        expect(cx).toBeGreaterThanOrEqual(bbox[0]);
        expect(cx).toBeLessThanOrEqual(bbox[2]);
        expect(cy).toBeGreaterThanOrEqual(bbox[1]);
        expect(cy).toBeLessThanOrEqual(bbox[3]);
        expect(e - w).toBeLessThan(bbox[2] - bbox[0]);
      }
    }
  });

  it('is deterministic for a seed and differs between seeds', () => {
    expect(viewportMix(bbox, 50, 3)).toEqual(viewportMix(bbox, 50, 3));
    expect(viewportMix(bbox, 50, 3)).not.toEqual(viewportMix(bbox, 50, 4));
  });

  it('interleaves the classes, so a prefix keeps the mix', () => {
    const first = viewportMix(bbox, 500, 1).slice(0, 50);
    const streets = first.filter((v) => v.viewClass === 'street').length;
    expect(streets).toBeGreaterThanOrEqual(35);
    expect(streets).toBeLessThanOrEqual(45);
    expect(first.some((v) => v.viewClass === 'district')).toBe(true);
  });
});
