// A child process of measure-scale-out.ts holding idle MQTT device connections from a chosen
// local address. One source address can open at most ~28,000 connections to one server port
// (the kernel's ephemeral port range, 32768-60999 here), fewer than moscow's 30,000: the
// benchmark's generator opens most of them, this one the rest from 127.0.0.2 (still to 127.0.0.1).
import { connect as netConnect } from 'node:net';
import { MqttClient } from 'mqtt';

interface Plan {
  readonly host: string;
  readonly port: number;
  readonly localAddress: string;
  readonly devices: readonly { readonly id: string; readonly secret: string }[];
  readonly rampPerSec: number;
}

const clients: MqttClient[] = [];
let connected = 0;
let failed = 0;
let firstError: string | undefined;
const report = (type: 'connected' | 'report') => process.send?.({ type, connected, failed, firstError });

async function open(plan: Plan): Promise<void> {
  const gapMs = 1000 / plan.rampPerSec;
  const t0 = Date.now();
  const pending: Promise<void>[] = [];
  for (const [i, d] of plan.devices.entries()) {
    const wait = t0 + i * gapMs - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const client = new MqttClient(
      () => netConnect({ host: plan.host, port: plan.port, localAddress: plan.localAddress }),
      {
        clientId: d.id,
        username: d.id,
        password: d.secret,
        protocolVersion: 4,
        keepalive: 300,
        reconnectPeriod: 0,
      },
    );
    clients.push(client);
    pending.push(
      new Promise<void>((resolve) => {
        client.once('connect', () => {
          connected++;
          resolve();
        });
        client.once('error', (err) => {
          failed++;
          firstError ??= `${d.id}: ${err.message}`;
          resolve();
        });
        client.once('close', () => resolve());
      }),
    );
  }
  await Promise.all(pending);
}

process.on('message', (m: { cmd: 'open'; plan: Plan } | { cmd: 'report' } | { cmd: 'exit' }) => {
  if (m.cmd === 'open') void open(m.plan).then(() => report('connected'));
  else if (m.cmd === 'report') report('report');
  else {
    for (const c of clients) c.end(true);
    process.exit(0);
  }
});
