import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';

describe('platform config', () => {
  it('has embedded defaults for one machine', () => {
    const c = loadConfig({});
    expect(c.mqtt.port).toBe(1883);
    expect(c.httpPort).toBe(8080);
    expect(c.influx.url).toBeNull();
    expect(c.influx.localPort).toBe(8086);
    expect(c.influx.db).toBe('city');
    expect(c.simulate.enabled).toBe(true);
    expect(c.bindHost).toBe('127.0.0.1');
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('draws no basemap unless BASEMAP_PMTILES names one, resolved to an absolute path', () => {
    expect(loadConfig({}).basemapPmtiles).toBeNull();
    expect(loadConfig({ BASEMAP_PMTILES: 'maps/moscow.pmtiles' }).basemapPmtiles).toBe(
      resolve('maps/moscow.pmtiles'),
    );
  });

  it('turns the simulator off with SIMULATE=off', () => {
    expect(loadConfig({ SIMULATE: 'off' }).simulate.enabled).toBe(false);
  });

  it('names every bad variable at once', () => {
    expect(() => loadConfig({ MQTT_PORT: 'abc', INFLUX_API: 'v3' })).toThrow(/MQTT_PORT[\s\S]*INFLUX_API/);
  });

  it('refuses half a TLS configuration and a v2 server without org and bucket', () => {
    expect(() => loadConfig({ TLS_CERT: '/x.pem' })).toThrow(/TLS_CERT and TLS_KEY/);
    expect(() => loadConfig({ INFLUX_URL: 'http://db:8086', INFLUX_API: 'v2' })).toThrow(/INFLUX_ORG/);
  });

  it('runs one broker process unless BROKER_PROCESSES asks for more', () => {
    expect(loadConfig({}).mqtt.processes).toBe(1);
    expect(loadConfig({ BROKER_PROCESSES: '3' }).mqtt.processes).toBe(3);
    expect(() => loadConfig({ BROKER_PROCESSES: '0' })).toThrow(/BROKER_PROCESSES/);
    expect(() => loadConfig({ BROKER_PROCESSES: '1.5' })).toThrow(/BROKER_PROCESSES/);
  });
});
