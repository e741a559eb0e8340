import { createServer } from 'node:net';
import { Aedes } from 'aedes';

/**
 * Baseline target: aedes with its defaults, no authentication, no ingest, on 127.0.0.1. What the
 * platform's broker would do if it did nothing of its own. Forked by `spawn-target.ts`.
 */
const broker = await Aedes.createBroker();
const server = createServer(broker.handle);
server.listen(0, '127.0.0.1', () => {
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  process.send?.({ type: 'ready', info: { mqttPort: port } });
});
process.on('message', (m: { cmd: string }) => {
  if (m.cmd === 'stop') server.close(() => broker.close(() => process.exit(0)));
});
process.on('disconnect', () => process.exit(0));
