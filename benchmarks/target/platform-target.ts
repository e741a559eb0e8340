import { pino } from 'pino';
import { loadConfig } from '../../scripts/config.ts';
import { startPlatform } from '../../scripts/platform.ts';
import { startCpuProfile, stopCpuProfile } from './cpu-profiler.ts';

/**
 * The platform under test in its own process: the coordinator's `startPlatform` (broker with auth
 * and ACL, ingest with its durable spool, the HTTP ops server), configured from the environment
 * exactly as `npm start` is, minus the simulated city. InfluxDB is the bench's own influxd
 * (INFLUX_URL), so the bench can count what was stored. Forked by `spawn-target.ts`.
 */
const config = loadConfig({
  ...process.env,
  DATA_DIR: process.env.BENCH_DATA_DIR ?? '.data/bench',
  BIND_HOST: '127.0.0.1',
  MQTT_PORT: '0',
  MQTT_WS_PORT: '0',
  HTTP_PORT: '0',
  SIMULATE: 'off',
  CONTROL: 'off',
  LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
});
const platform = await startPlatform(config, {
  logger: pino({ level: config.logLevel }, pino.destination(2)),
});
const mqttPort = Number(new URL(platform.mqttUrl).port);
process.send?.({ type: 'ready', info: { mqttPort, httpUrl: platform.httpUrl } });

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await platform.stop();
  process.exit(0);
}

process.on('message', (m: { cmd: string }) => {
  if (m.cmd === 'profile-start')
    void startCpuProfile().then(() => process.send?.({ type: 'profile-started' }));
  else if (m.cmd === 'profile-stop')
    void stopCpuProfile().then((profile) => process.send?.({ type: 'profile', profile }));
  else if (m.cmd === 'status') process.send?.({ type: 'status', status: platform.ingestStatus() });
  else if (m.cmd === 'stop') void stop();
});
process.on('disconnect', () => void stop());
