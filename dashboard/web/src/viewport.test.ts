import { describe, expect, it } from 'vitest';
import { viewportOf } from './viewport.ts';

describe('viewportOf', () => {
  it('clamps a zoomed-out view to valid coordinates', () => {
    expect(viewportOf(-250, -95, 300, 95, 0.5)).toEqual({ bbox: [-180, -90, 180, 90], zoom: 0.5 });
  });
  it('passes a city view through', () => {
    expect(viewportOf(37.5, 55.7, 37.7, 55.8, 13)).toEqual({ bbox: [37.5, 55.7, 37.7, 55.8], zoom: 13 });
  });
});
