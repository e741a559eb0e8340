// Child process of connect-storm.ts: connects every device in the credentials file at once and
// reports how long until all had their CONNACK. Separate process: the clients must not share the
// broker's event loop (or its 20,000-file limit).
import { readFileSync } from 'node:fs';
import mqtt from 'mqtt';

const [port, credentialsFile] = process.argv.slice(2);
const creds = JSON.parse(readFileSync(String(credentialsFile), 'utf8')) as { id: string; secret: string }[];
const started = performance.now();
const clients = await Promise.all(
  creds.map((c) =>
    mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, {
      clientId: c.id,
      username: c.id,
      password: c.secret,
      reconnectPeriod: 0,
      connectTimeout: 120_000,
    }),
  ),
);
const seconds = (performance.now() - started) / 1000;
await Promise.all(clients.map((c) => c.endAsync()));
process.stdout.write(`${JSON.stringify({ connected: clients.length, seconds })}\n`);
