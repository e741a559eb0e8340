import { describe, expect, it } from 'vitest';
import { parseTopic, topics } from './topics.ts';

describe('topic map', () => {
  it('builds each topic from an id and parses it back', () => {
    for (const [key, spec] of Object.entries(topics)) {
      expect(parseTopic(spec.of('dev-1'))).toEqual({ key, id: 'dev-1' });
    }
  });

  it('uses exactly the v1 topic names', () => {
    expect(topics.cameraCounts.of('c1')).toBe('city/traffic/cameras/c1/counts');
    expect(topics.signalState.of('i1')).toBe('city/traffic/signals/i1/state');
    expect(topics.signalPlan.of('i1')).toBe('city/traffic/signals/i1/plan');
    expect(topics.meterReadings.of('m1')).toBe('city/utility/meters/m1/readings');
    expect(topics.gatewayReadings.of('g1')).toBe('city/utility/gateways/g1/readings');
    expect(topics.deviceStatus.of('d1')).toBe('city/devices/d1/status');
    expect(topics.cameraCounts.filter).toBe('city/traffic/cameras/+/counts');
  });

  it.each([
    'city/traffic/cameras/c1/count',
    'city/traffic/cameras/counts',
    'city/traffic/cameras/a/b/counts',
    'city/traffic/cameras/+/counts',
    'city/traffic/cameras/#/counts',
    'city/traffic/cameras//counts',
    'city/traffic/cameras/bad id/counts',
    'other/traffic/cameras/c1/counts',
    '',
    'counts',
    '/c1/counts',
  ])('refuses %j', (topic) => {
    expect(parseTopic(topic)).toBeNull();
  });
});
