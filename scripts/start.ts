// `npm start`: the whole platform with the simulated city on one machine.
import { ensureAdmin } from '../dashboard/server/index.ts';
import { buildWeb } from '../dashboard/web/build.ts';
import { loadConfig, type PlatformConfig } from './config.ts';
import { startPlatform } from './platform.ts';

let config: PlatformConfig;
try {
  config = loadConfig();
} catch (err) {
  console.error((err as Error).message);
  process.exit(2);
}

// The operations map is a static bundle; build it when its sources changed (first start: ~20 s).
const web = await buildWeb();
if (web.built) console.log(`dashboard: built the web app into ${web.outDir}`);

const platform = await startPlatform(config);
await ensureAdmin(platform.registry);
const sim = platform.city
  ? `${platform.network.intersections.length} intersections, ${platform.network.cameras.length} cameras, ` +
    `${platform.network.buildings.reduce((n, b) => n + b.meters.length, 0)} meters (speed ×${config.simulate.speed})`
  : 'off (SIMULATE=off)';
console.log(
  [
    'City telemetry platform is up:',
    `  dashboard   ${platform.httpUrl}/   (log in as admin; /healthz /readyz /metrics answer without login)`,
    `  API docs    ${platform.httpUrl}/docs`,
    `  MQTT        ${platform.mqttUrl}${platform.mqttWsUrl ? `   WebSocket ${platform.mqttWsUrl}` : ''}`,
    `  InfluxDB    ${platform.influx.url}   database "${platform.influx.db}"`,
    `  control     ${platform.control ? `${config.control.controller} control loop` : 'off (CONTROL=off)'}`,
    `  simulator   ${sim}`,
    `  network     ${platform.networkPath}`,
    `  data        ${config.dataDir}`,
    'Stop with Ctrl-C (SIGINT) or SIGTERM: batches are flushed or kept in the spool.',
  ].join('\n'),
);

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
