import { join } from 'node:path';
import { pino } from 'pino';
import { Registry as PromRegistry } from 'prom-client';
import { createBroker, REGISTRY_FILE, Registry } from '../../../broker/index.ts';
import { parseTopic, topics } from '../../../protocol/index.ts';

// One broker of a city measurement, in a child process of its own (one process holds ~19,000
// sockets, a Moscow-sized fleet needs more): our broker with device auth against the shared
// registry file and a sink that only schema-checks and counts. Forked by measure-city.ts with
// the data dir as its argument; reports over IPC, closes on 'stop' or when orphaned.

/** Broker child → measurement. */
export type FromBroker =
  | { readonly type: 'listening'; readonly port: number }
  | {
      readonly type: 'stats';
      readonly connected: number;
      readonly received: Readonly<Record<string, number>>;
      readonly invalid: number;
    };

const dir = process.argv[2];
if (dir === undefined) throw new Error('usage: broker-process.ts DATA_DIR');
const registry = Registry.open(join(dir, REGISTRY_FILE));
const received: Record<string, number> = {};
let invalid = 0;
const broker = createBroker({
  registry,
  sink: {
    async receive(_sender, topic, payload) {
      const p = parseTopic(topic);
      let ok = false;
      try {
        ok = p !== null && topics[p.key].schema.safeParse(JSON.parse(payload.toString('utf8'))).success;
      } catch {
        ok = false;
      }
      if (!ok || !p) {
        invalid++;
        return 'rejected';
      }
      received[p.key] = (received[p.key] ?? 0) + 1;
      return 'stored';
    },
  },
  logger: pino({ level: 'silent' }),
  metrics: new PromRegistry(),
  revocationSweepMs: 0,
});
const { tcpPort } = await broker.listen({ tcpPort: 0, host: '127.0.0.1' });
const send = (m: FromBroker) => {
  if (process.connected) process.send?.(m);
};
send({ type: 'listening', port: tcpPort });
const statsTimer = setInterval(
  () => send({ type: 'stats', connected: broker.aedes.connectedClients, received, invalid }),
  1000,
);

let closing = false;
async function close(): Promise<void> {
  if (closing) return;
  closing = true;
  clearInterval(statsTimer);
  await broker.close();
  registry.close();
  process.exit(0);
}
process.on('message', (m) => {
  if ((m as { type?: string }).type === 'stop') void close();
});
process.on('disconnect', () => void close());
