import { describe, expect, it } from 'vitest';
import { tinyNetwork } from '../test-support/tiny-network.ts';
import { ViewCatalog } from './view-catalog.ts';
import { buildViewportIndex, filterViewport } from './viewport-filter.ts';

const index = buildViewportIndex(tinyNetwork());
const whole = () => filterViewport(index, { bbox: [37, 55, 38, 56], zoom: 16 });
const wider = () => filterViewport(index, { bbox: [36, 54, 39, 57], zoom: 16 });
const none = () => filterViewport(index, { bbox: [0, 0, 1, 1], zoom: 16 });

describe('ViewCatalog', () => {
  it('hands clients whose boxes show the same items one shared view', () => {
    const catalog = new ViewCatalog();
    const a = catalog.acquire(whole());
    expect(catalog.acquire(wider())).toBe(a);
    expect(catalog.acquire(none())).not.toBe(a);
    expect(catalog.size).toBe(2);
  });

  it('drops a view once its last user releases it', () => {
    const catalog = new ViewCatalog();
    const a = catalog.acquire(whole());
    catalog.acquire(wider());
    catalog.release(a);
    expect(catalog.size).toBe(1);
    catalog.release(a);
    expect(catalog.size).toBe(0);
    expect(catalog.acquire(whole())).not.toBe(a);
  });
});
