import mqtt, { type MqttClient } from 'mqtt';
import { topics } from '../../protocol/index.ts';
import { generateNetwork } from '../../simulators/index.ts';
import { cameraCounts, gatewayBatch, signalState } from '../load/payloads.ts';
import { profiles } from '../load/profiles.ts';
import { dueDevices } from '../load/schedule.ts';
import { dashboardFeed, type FeedGroup } from './dashboard-feed.ts';

/**
 * The dashboard's feed as a child process: real MQTT publishes (QoS 1, as the devices send) at
 * the `moscow` profile's rates on the network's ids, from a few connections. Every signal state
 * carries its publish time in `ts` and advances its interval and phase, so it is also the
 * latency probe: a client that sees a new `ts` on an intersection knows when it was published.
 *
 * Env: FEED_URL, FEED_INTERSECTIONS, FEED_SEED, FEED_CONNECTIONS. IPC: `{cmd:'stop'}`; reports
 * `{type:'progress', sent, errors}` every second.
 */
export interface FeedProgress {
  readonly type: 'ready' | 'progress';
  readonly sent: number;
  readonly errors: number;
  readonly msgsPerSec?: number;
  readonly readingsPerSec?: number;
}

const url = process.env.FEED_URL ?? 'mqtt://127.0.0.1:1883';
const network = generateNetwork({
  intersections: Number(process.env.FEED_INTERSECTIONS ?? 4000),
  seed: Number(process.env.FEED_SEED ?? 1),
});
const groups = dashboardFeed(network, profiles.moscow);
const conns = Math.max(1, Number(process.env.FEED_CONNECTIONS ?? 4));

const clients: MqttClient[] = await Promise.all(
  Array.from({ length: conns }, (_, k) =>
    mqtt.connectAsync(url, {
      clientId: `bench-feed-${process.pid}-${k}`,
      username: 'bench-feed',
      password: 'bench-feed',
      protocolVersion: 4,
      reconnectPeriod: 1000,
    }),
  ),
);
let sent = 0;
let errors = 0;
let rr = 0;
const counters = groups.map((g) => new Array<number>(g.ids.length).fill(0));

function payload(g: FeedGroup, i: number, n: number): { topic: string; body: unknown } {
  const id = g.ids[i] as string;
  const ts = Date.now();
  if (g.kind === 'signal')
    // Devices drift apart (offset by index), so phases do not all change in the same second.
    return { topic: topics.signalState.of(id), body: signalState(id, ts, n + i * 7) };
  if (g.kind === 'camera')
    return { topic: topics.cameraCounts.of(id), body: cameraCounts(ts, n * 31 + i, 5) };
  if (g.kind !== 'gateway') throw new Error('unreachable');
  const meters = g.meters[i] ?? [];
  return {
    topic: topics.gatewayReadings.of(id),
    body: gatewayBatch(meters, ts, n, Math.min(g.readingsPerBatch, 1000)),
  };
}

const onDone = (err?: Error) => {
  if (err) errors += 1;
};
const started = performance.now();
let last = -1;
const timer = setInterval(() => {
  const now = performance.now() - started;
  for (const [gi, g] of groups.entries()) {
    const count = counters[gi] as number[];
    for (const i of dueDevices(g.ids.length, g.periodMs, last, now)) {
      const n = count[i] ?? 0;
      count[i] = n + 1;
      const { topic, body } = payload(g, i, n);
      const client = clients[rr++ % clients.length] as MqttClient;
      client.publish(topic, JSON.stringify(body), { qos: 1 }, onDone);
      sent += 1;
    }
  }
  last = now;
}, 10);

const report = () => process.send?.({ type: 'progress', sent, errors } satisfies FeedProgress);
const progress = setInterval(report, 1000);
process.send?.({ type: 'ready', sent, errors } satisfies FeedProgress);

process.on('message', (m: { cmd: string }) => {
  if (m.cmd !== 'stop') return;
  clearInterval(timer);
  clearInterval(progress);
  report();
  void Promise.all(clients.map((c) => c.endAsync())).finally(() => process.exit(0));
});
process.on('disconnect', () => process.exit(0));
