// Child process of publish-overhead.ts: each device publishes QoS 1 camera counts with at most
// `window` unacknowledged messages, for `ms` milliseconds; reports how many were acknowledged.
import { readFileSync } from 'node:fs';
import mqtt from 'mqtt';
import { topics } from '../../protocol/topics.ts';

const [port, credentialsFile, ms, window] = process.argv.slice(2);
const creds = JSON.parse(readFileSync(String(credentialsFile), 'utf8')) as { id: string; secret: string }[];
const clients = await Promise.all(
  creds.map((c) =>
    mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, {
      clientId: c.id,
      username: c.id,
      password: c.secret,
      reconnectPeriod: 0,
    }),
  ),
);
const started = performance.now();
const end = started + Number(ms);
let acked = 0;
await Promise.all(
  clients.map(async (c, i) => {
    const topic = topics.cameraCounts.of(creds[i]?.id ?? '');
    const inflight = new Set<Promise<void>>();
    while (performance.now() < end) {
      const payload = JSON.stringify({ ts: Date.now(), intervalS: 60, intensity: 5 });
      const p: Promise<void> = c.publishAsync(topic, payload, { qos: 1 }).then(() => {
        acked++;
        inflight.delete(p);
      });
      inflight.add(p);
      if (inflight.size >= Number(window)) await Promise.race(inflight);
    }
    await Promise.all(inflight);
  }),
);
const seconds = (performance.now() - started) / 1000;
await Promise.all(clients.map((c) => c.endAsync()));
process.stdout.write(`${JSON.stringify({ acked, seconds })}\n`);
