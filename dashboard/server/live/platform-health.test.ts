import { describe, expect, it } from 'vitest';
import { deriveHealth, type HealthInputs, MessageRate } from './platform-health.ts';

const ok: HealthInputs = {
  feedUp: true,
  ingest: { spoolDepth: 0, influxReachable: true },
  lastMessageMs: 10_000,
  observedRatePerS: 12.34,
  staleDevices: 2,
};

describe('deriveHealth', () => {
  it('is live with a connected feed, fresh data and a reachable InfluxDB', () => {
    expect(deriveHealth(ok, 11_000)).toEqual({
      status: 'live',
      ingestRatePerS: 12.3,
      rejectsPerS: 0,
      spoolDepth: 0,
      staleDevices: 2,
      dataAgeS: 1,
    });
  });
  it('is disconnected without the feed, whatever else holds', () => {
    expect(deriveHealth({ ...ok, feedUp: false }, 11_000).status).toBe('disconnected');
  });
  it('lags when data stops, InfluxDB is unreachable or the spool is deep', () => {
    expect(deriveHealth(ok, 25_001).status).toBe('lagging');
    expect(deriveHealth({ ...ok, lastMessageMs: null }, 11_000).status).toBe('lagging');
    expect(deriveHealth({ ...ok, ingest: { spoolDepth: 0, influxReachable: false } }, 11_000).status).toBe(
      'lagging',
    );
    expect(
      deriveHealth({ ...ok, ingest: { spoolDepth: 10_001, influxReachable: true } }, 11_000).status,
    ).toBe('lagging');
  });
  it('prefers the rates ingest reports over its own count', () => {
    const h = deriveHealth(
      { ...ok, ingest: { spoolDepth: 0, influxReachable: true, ingestRatePerS: 500, rejectsPerS: 3 } },
      11_000,
    );
    expect(h.ingestRatePerS).toBe(500);
    expect(h.rejectsPerS).toBe(3);
  });
});

describe('MessageRate', () => {
  it('turns messages between ticks into a rate per second', () => {
    const r = new MessageRate();
    expect(r.tick(0)).toBe(0);
    for (let i = 0; i < 30; i++) r.heard();
    expect(r.tick(2000)).toBe(15);
    expect(r.tick(3000)).toBe(0);
  });
  it('keeps the last rate when no time passed', () => {
    const r = new MessageRate();
    r.tick(0);
    r.heard();
    expect(r.tick(1000)).toBe(1);
    r.heard();
    expect(r.tick(1000)).toBe(1);
  });
});
