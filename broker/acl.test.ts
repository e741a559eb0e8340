import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SenderIdentity, ServiceRight } from '../protocol/identity.ts';
import type { DeviceType } from '../protocol/ids.ts';
import { type TopicKey, topicKeys, topics } from '../protocol/topics.ts';
import { type AclReason, decidePublish, decideSubscribe, ownPlanTopic, topicKind } from './acl.ts';

function device(id: string, deviceType: DeviceType, intersectionId: string | null = null): SenderIdentity {
  return {
    id,
    role: 'device',
    deviceType,
    intersectionId,
    approach: null,
    meterKind: null,
    gatewayMeters: null,
    rights: [],
  };
}

function service(id: string, rights: ServiceRight[]): SenderIdentity {
  return {
    id,
    role: 'service',
    deviceType: null,
    intersectionId: null,
    approach: null,
    meterKind: null,
    gatewayMeters: null,
    rights,
  };
}

const deviceTypes: DeviceType[] = ['camera', 'signal', 'meter', 'gateway'];
const ownKind: Record<DeviceType, TopicKey> = {
  camera: 'cameraCounts',
  signal: 'signalState',
  meter: 'meterReadings',
  gateway: 'gatewayReadings',
};

function reasonOf(d: ReturnType<typeof decidePublish>): AclReason | 'ok' {
  return d.ok ? 'ok' : d.reason;
}

describe('topicKind', () => {
  it('recognises every protocol v1 topic', () => {
    for (const key of topicKeys) expect(topicKind(topics[key].of('dev-1'))).toBe(key);
  });

  it('recognises a plan topic even when its id level is not a valid id', () => {
    expect(topicKind('city/traffic/signals/x y/plan')).toBe('signalPlan');
    expect(topicKind('city/traffic/signals/a/b/plan')).toBe('signalPlan');
  });

  it('returns null for topics outside protocol v1', () => {
    for (const t of ['city/traffic/signals//plan', 'city/traffic/signals/plan', 'city/x', 'plan', 'a/b/c']) {
      expect(topicKind(t)).toBeNull();
    }
  });
});

describe('decidePublish: devices', () => {
  // Every device type against every topic kind, own id and foreign id, retained or not.
  for (const type of deviceTypes) {
    for (const key of topicKeys) {
      for (const foreign of [false, true]) {
        for (const retain of [false, true]) {
          const id = foreign ? 'someone-else' : 'me';
          let expected: AclReason | 'ok';
          if (retain && key !== 'deviceStatus') expected = 'retain_forbidden';
          else if (key === 'signalPlan') expected = 'plan_forbidden';
          else if (key === 'deviceStatus' || key === ownKind[type]) expected = 'ok';
          else expected = 'topic_kind_forbidden';
          it(`${type} → ${key} (${foreign ? 'foreign' : 'own'} id${retain ? ', retained' : ''}): ${expected}`, () => {
            expect(reasonOf(decidePublish(device('me', type), topics[key].of(id), retain))).toBe(expected);
          });
        }
      }
    }
  }

  it('lets a device publish outside protocol v1 so the sink can reject it as topic_unknown', () => {
    expect(decidePublish(device('me', 'camera'), 'city/traffic/cameras/me/count', false)).toEqual({
      ok: true,
    });
    expect(decidePublish(device('me', 'meter'), 'hello', false)).toEqual({ ok: true });
  });

  it('refuses a retained publish outside protocol v1', () => {
    expect(reasonOf(decidePublish(device('me', 'meter'), 'hello', true))).toBe('retain_forbidden');
  });

  it('refuses a plan topic with a malformed id as a plan', () => {
    expect(reasonOf(decidePublish(device('me', 'signal'), 'city/traffic/signals/a b/plan', false))).toBe(
      'plan_forbidden',
    );
  });
});

describe('decidePublish: services', () => {
  const planner = service('control', ['plan:publish']);
  const reader = service('dash', ['telemetry:subscribe']);

  it('lets a service with plan:publish publish a plan to any intersection', () => {
    expect(decidePublish(planner, topics.signalPlan.of('I-17'), false)).toEqual({ ok: true });
  });

  it('refuses a retained plan', () => {
    expect(reasonOf(decidePublish(planner, topics.signalPlan.of('I-17'), true))).toBe('retain_forbidden');
  });

  it('refuses plans from a service without plan:publish', () => {
    expect(reasonOf(decidePublish(reader, topics.signalPlan.of('I-17'), false))).toBe('plan_forbidden');
  });

  it('refuses every non-plan topic to services', () => {
    for (const key of topicKeys.filter((k) => k !== 'signalPlan')) {
      expect(reasonOf(decidePublish(planner, topics[key].of('x'), false))).toBe('service_publish_forbidden');
    }
    expect(reasonOf(decidePublish(planner, 'city/anything', false))).toBe('service_publish_forbidden');
  });
});

describe('decidePublish: $ topics', () => {
  it('refuses every $ topic to every sender', () => {
    const senders = [
      ...deviceTypes.map((t) => device('me', t)),
      service('s', ['plan:publish', 'telemetry:subscribe']),
    ];
    fc.assert(
      fc.property(fc.constantFrom(...senders), fc.string(), fc.boolean(), (who, rest, retain) => {
        expect(reasonOf(decidePublish(who, `$${rest}`, retain))).toBe('system_topic');
      }),
    );
  });
});

describe('decideSubscribe', () => {
  it("lets a signal subscribe to its intersection's plan topic", () => {
    expect(decideSubscribe(device('sig-1', 'signal', 'I-1'), topics.signalPlan.of('I-1'))).toEqual({
      ok: true,
    });
  });

  it('uses the signal id as its plan topic when it has no intersection', () => {
    expect(ownPlanTopic(device('I-2', 'signal'))).toBe(topics.signalPlan.of('I-2'));
    expect(decideSubscribe(device('I-2', 'signal'), topics.signalPlan.of('I-2'))).toEqual({ ok: true });
  });

  it("refuses a signal another intersection's plan topic", () => {
    expect(reasonOf(decideSubscribe(device('sig-1', 'signal', 'I-1'), topics.signalPlan.of('I-9')))).toBe(
      'subscribe_forbidden',
    );
    expect(reasonOf(decideSubscribe(device('sig-1', 'signal', 'I-1'), topics.signalPlan.of('sig-1')))).toBe(
      'subscribe_forbidden',
    );
  });

  it('refuses wildcards to every device, even over its own plan topic', () => {
    for (const type of deviceTypes) {
      for (const f of ['#', 'city/#', 'city/traffic/signals/+/plan', 'city/traffic/signals/I-1/+']) {
        expect(reasonOf(decideSubscribe(device('I-1', type, 'I-1'), f))).toBe('wildcard_forbidden');
      }
    }
  });

  it('refuses every concrete topic to non-signal devices', () => {
    for (const type of ['camera', 'meter', 'gateway'] as const) {
      for (const key of topicKeys) {
        expect(reasonOf(decideSubscribe(device('me', type, 'I-1'), topics[key].of('me')))).toBe(
          'subscribe_forbidden',
        );
      }
      expect(ownPlanTopic(device('me', type, 'I-1'))).toBeNull();
    }
  });

  it('lets a telemetry service subscribe under city/ only', () => {
    const s = service('dash', ['telemetry:subscribe']);
    for (const f of ['city/#', 'city/traffic/cameras/+/counts', topics.deviceStatus.filter]) {
      expect(decideSubscribe(s, f)).toEqual({ ok: true });
    }
    for (const f of ['#', '+/traffic/#', 'city', 'other/x']) {
      expect(reasonOf(decideSubscribe(s, f))).toBe('filter_outside_city');
    }
  });

  it('refuses subscriptions to a service without telemetry:subscribe', () => {
    expect(reasonOf(decideSubscribe(service('control', ['plan:publish']), 'city/#'))).toBe(
      'subscribe_forbidden',
    );
  });

  it('refuses $ filters to everyone', () => {
    for (const who of [device('I-1', 'signal', 'I-1'), service('s', ['telemetry:subscribe'])]) {
      for (const f of ['$SYS/#', '$share/g/city/#'])
        expect(reasonOf(decideSubscribe(who, f))).toBe('system_topic');
    }
  });
});
