import { join } from 'node:path';
import { pino } from 'pino';
import { Registry as PromRegistry } from 'prom-client';
import { createBroker } from '../../broker/create-broker.ts';
import { Registry } from '../../broker/registry.ts';
import { createIngest } from '../../ingest/index.ts';

/**
 * The platform under test in its own process: the real broker (auth, ACL) handing every publish
 * to the real ingest (validation, durable spool, drain to InfluxDB), composed as the platform
 * composes them. Forked by `spawn-target.ts`; InfluxDB is the bench's own influxd (INFLUX_URL).
 * Env: BENCH_DATA_DIR, INFLUX_URL, INFLUX_DB.
 */
const dataDir = process.env.BENCH_DATA_DIR ?? '.data/bench';
const logger = pino({ level: process.env.LOG_LEVEL ?? 'warn' }, pino.destination(2));
const metrics = new PromRegistry();
const registry = Registry.open(join(dataDir, 'registry.sqlite'));
const ingest = createIngest({
  journalPath: join(dataDir, 'spool.sqlite'),
  influx: {
    url: process.env.INFLUX_URL ?? 'http://127.0.0.1:8086',
    api: 'v1',
    db: process.env.INFLUX_DB ?? 'city',
  },
  metrics,
  logger,
});
ingest.start();
const broker = createBroker({ registry, sink: ingest, logger, metrics });
const ports = await broker.listen({ tcpPort: 0, host: '127.0.0.1' });
process.send?.({ type: 'ready', info: { mqttPort: ports.tcpPort } });

async function stop(): Promise<void> {
  await broker.close();
  await ingest.stop();
  registry.close();
  process.exit(0);
}

process.on('message', (m: { cmd: string }) => {
  if (m.cmd === 'status') process.send?.({ type: 'status', status: ingest.status() });
  else if (m.cmd === 'metrics')
    void metrics.metrics().then((text) => process.send?.({ type: 'metrics', text }));
  else if (m.cmd === 'stop') void stop();
});
process.on('disconnect', () => void stop());
