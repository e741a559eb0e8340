// `npm start`: the whole platform with the simulated city on one machine.
import { loadConfig } from './config.ts';
import { startPlatform } from './platform.ts';

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig();
} catch (err) {
  console.error((err as Error).message);
  process.exit(2);
}

const platform = await startPlatform(config);
const lines = [
  'City telemetry platform is up:',
  `  MQTT            ${platform.mqttUrl}${platform.mqttWsUrl ? `   (WebSocket ${platform.mqttWsUrl})` : ''}`,
  `  HTTP            ${platform.httpUrl}   (/healthz /readyz /metrics)`,
  `  InfluxDB        ${platform.influx.url}   database "${platform.influx.db}"`,
  `  data            ${config.dataDir}`,
];
console.log(lines.join('\n'));

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  platform.logger.info({ signal }, 'draining');
  await platform.stop();
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
