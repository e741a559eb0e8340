import { describe, expect, it } from 'vitest';
import { tinyNetwork } from '../test-support/tiny-network.ts';
import { buildViewportIndex, filterViewport } from './viewport-filter.ts';

const index = buildViewportIndex(tinyNetwork());
const aOnly = [37.59, 55.74, 37.61, 55.76] as [number, number, number, number];

describe('filterViewport', () => {
  it('keeps only what lies in the box', () => {
    const ids = filterViewport(index, { bbox: aOnly, zoom: 16 });
    expect([...ids.intersections]).toEqual(['A']);
    expect([...ids.links].sort()).toEqual(['A-in-E', 'A-in-N', 'A-in-S', 'A-in-W']);
    expect([...ids.cameras].every((c) => c.startsWith('cam-A-'))).toBe(true);
    expect([...ids.meters].sort()).toEqual(['em-1', 'wm-1']);
  });

  it('keeps a link that crosses the box though neither end lies inside', () => {
    // A thin box across A's north approach, between its two ends.
    const ids = filterViewport(index, { bbox: [37.599, 55.7505, 37.601, 55.7515], zoom: 16 });
    expect([...ids.links]).toEqual(['A-in-N']);
    expect(ids.intersections.size).toBe(0);
  });

  it('thins by zoom: far out only arterials and intersections, no cameras or meters', () => {
    const ids = filterViewport(index, { bbox: [37, 55, 38, 56], zoom: 10 });
    expect(ids.intersections.size).toBe(2);
    expect([...ids.links].every((l) => l.endsWith('-N') || l.endsWith('-S'))).toBe(true);
    expect(ids.cameras.size).toBe(0);
    expect(ids.meters.size).toBe(0);
    const mid = filterViewport(index, { bbox: [37, 55, 38, 56], zoom: 14 });
    expect(mid.links.size).toBe(8);
    expect(mid.cameras.size).toBe(8);
    expect(mid.meters.size).toBe(0);
  });
});
