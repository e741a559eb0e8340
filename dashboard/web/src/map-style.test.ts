import { describe, expect, it } from 'vitest';
import { layerIds, mapStyle, sourceIds } from './map-style.ts';

describe('mapStyle', () => {
  const style = mapStyle();
  const json = JSON.stringify(style);

  it('needs nothing from the internet: no glyphs, sprites, tiles or URLs', () => {
    expect(style.glyphs).toBeUndefined();
    expect(style.sprite).toBeUndefined();
    expect(json).not.toMatch(/https?:/);
    for (const source of Object.values(style.sources)) expect(source.type).toBe('geojson');
  });
  it('has no text layers (they would need glyphs)', () => {
    expect(style.layers.some((l) => l.type === 'symbol')).toBe(false);
  });
  it('has one source per network feature kind and every toggleable layer', () => {
    expect(Object.keys(style.sources).sort()).toEqual([...sourceIds].sort());
    for (const id of layerIds) expect(style.layers.some((l) => l.id === id)).toBe(true);
  });
});
