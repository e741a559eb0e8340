import { describe, expect, it } from 'vitest';
import type { Health } from '../../shared/contract.ts';
import { freshness } from './freshness.ts';

const health = (over: Partial<Health> = {}): Health => ({
  status: 'live',
  ingestRatePerS: 100,
  rejectsPerS: 0,
  spoolDepth: 0,
  staleDevices: 0,
  dataAgeS: 2,
  ...over,
});

describe('freshness', () => {
  const now = 1_000_000;
  it('is live when connected, recent and the data is young', () => {
    expect(freshness({ connected: true, lastEventAtMs: now - 500, health: health(), nowMs: now })).toEqual({
      status: 'live',
      stale: false,
      reason: null,
    });
  });
  it('is stale and disconnected when the socket is down', () => {
    const f = freshness({ connected: false, lastEventAtMs: now, health: health(), nowMs: now });
    expect(f.status).toBe('disconnected');
    expect(f.stale).toBe(true);
  });
  it('is stale when the server stopped sending', () => {
    const f = freshness({ connected: true, lastEventAtMs: now - 20_000, health: health(), nowMs: now });
    expect(f).toMatchObject({ status: 'lagging', stale: true });
    expect(f.reason).toContain('20 s');
  });
  it('is stale when the device data is old', () => {
    const f = freshness({
      connected: true,
      lastEventAtMs: now,
      health: health({ dataAgeS: 95 }),
      nowMs: now,
    });
    expect(f).toMatchObject({ status: 'lagging', stale: true });
    expect(f.reason).toContain('95 s');
  });
});
