import { describe, expect, it } from 'vitest';
import type { MessageSink, SenderIdentity, ServiceRight, SinkOutcome } from '../../protocol/identity.ts';
import { connectCluster } from './cluster-bus.ts';
import { LocalHub } from './local-hub.ts';
import type { BatchedMessage } from './message-batch.ts';

const service = (rights: ServiceRight[]): SenderIdentity => ({
  id: 'svc',
  role: 'service',
  deviceType: null,
  intersectionId: null,
  approach: null,
  meterKind: null,
  gatewayMeters: null,
  rights,
});

function harness(rights: ServiceRight[], outcome: SinkOutcome = 'stored') {
  const order: string[] = [];
  const sink: MessageSink = {
    async receive(_who, topic) {
      order.push(`sink ${topic}`);
      return outcome;
    },
  };
  const hub = new LocalHub();
  const sent: BatchedMessage[] = [];
  let up = 2;
  const upListeners: ((n: number) => void)[] = [];
  const bus = connectCluster({
    identity: service(rights),
    sink,
    hub,
    broadcast: async (messages) => {
      order.push(`broadcast ${messages.map((m) => m.topic).join()}`);
      sent.push(...messages);
    },
    upCount: () => up,
    onUpChange: (l) => upListeners.push(l),
  });
  const setUp = (n: number) => {
    up = n;
    for (const l of upListeners) l(n);
  };
  return { bus, hub, sent, order, setUp };
}

const planTopic = 'city/traffic/signals/I-1/plan';

describe('cluster bus (a service in the primary)', () => {
  it('makes a plan durable, hands it to local subscribers, then sends it to the workers', async () => {
    const { bus, sent, order } = harness(['plan:publish', 'telemetry:subscribe']);
    const local: string[] = [];
    await bus.subscribe(['city/traffic/signals/+/plan'], (t) => local.push(t));
    await bus.publish(planTopic, '{}', { qos: 1 });
    expect(order).toEqual([`sink ${planTopic}`, `broadcast ${planTopic}`]);
    expect(local).toEqual([planTopic]);
    expect(sent).toEqual([expect.objectContaining({ topic: planTopic, qos: 1, retain: false })]);
  });

  it('passes the ACL first: no right, no sink and no worker sees it', async () => {
    const { bus, order } = harness(['telemetry:subscribe']);
    await expect(bus.publish(planTopic, '{}', { qos: 1 })).rejects.toThrow(/plan_forbidden/);
    await expect(bus.publish(planTopic, '{}', { qos: 1, retain: true })).rejects.toThrow(/retain_forbidden/);
    expect(order).toEqual([]);
  });

  it('does not forward what ingest rejected', async () => {
    const { bus, order } = harness(['plan:publish'], 'rejected');
    await expect(bus.publish(planTopic, 'not json', { qos: 1 })).rejects.toThrow(/rejected/);
    expect(order).toEqual([`sink ${planTopic}`]);
  });

  it('refuses subscriptions outside its rights', async () => {
    const { bus } = harness(['plan:publish']);
    await expect(bus.subscribe(['city/#'], () => {})).rejects.toThrow(/subscribe_forbidden/);
    const { bus: other } = harness(['telemetry:subscribe']);
    await expect(other.subscribe(['other/#'], () => {})).rejects.toThrow(/filter_outside_city/);
  });

  it('is connected while a worker serves, and stops delivering once closed', async () => {
    const { bus, hub, setUp } = harness(['telemetry:subscribe']);
    const changes: boolean[] = [];
    bus.onConnectedChange((c) => changes.push(c));
    const got: string[] = [];
    await bus.subscribe(['city/#'], (t) => got.push(t));
    setUp(1);
    setUp(0);
    expect(bus.connected).toBe(false);
    setUp(2);
    expect(bus.connected).toBe(true);
    hub.deliver('city/a', Buffer.from('{}'));
    await bus.close();
    hub.deliver('city/b', Buffer.from('{}'));
    expect(got).toEqual(['city/a']);
    expect(changes).toEqual([false, true, false]);
  });
});
