import { describe, expect, it } from 'vitest';
import { LocalHub } from './local-hub.ts';

describe('local hub (the primary services subscriptions)', () => {
  it('matches MQTT wildcards and stops delivering after remove', () => {
    const hub = new LocalHub();
    const got: string[] = [];
    const counts = (t: string) => got.push(`counts ${t}`);
    const all = (t: string) => got.push(`all ${t}`);
    hub.add('city/traffic/cameras/+/counts', counts);
    hub.add('city/#', all);
    hub.deliver('city/traffic/cameras/C1/counts', Buffer.from('{}'));
    hub.deliver('city/devices/C1/status', Buffer.from('{}'));
    expect(got.sort()).toEqual([
      'all city/devices/C1/status',
      'all city/traffic/cameras/C1/counts',
      'counts city/traffic/cameras/C1/counts',
    ]);
    hub.remove('city/#', all);
    got.length = 0;
    hub.deliver('city/devices/C1/status', Buffer.from('{}'));
    expect(got).toEqual([]);
  });

  it('never hands a $ topic to a wildcard, and one failing subscriber does not stop the others', () => {
    const hub = new LocalHub();
    const got: string[] = [];
    hub.add('#', () => {
      throw new Error('subscriber bug');
    });
    hub.add('#', (t) => got.push(t));
    hub.deliver('$rejected', Buffer.from('x'));
    hub.deliver('city/a', Buffer.from('x'));
    expect(got).toEqual(['city/a']);
  });
});
