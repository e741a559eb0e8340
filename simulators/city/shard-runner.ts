import { createLocalFleet, type Fleet } from './local-fleet.ts';
import type { FromShard, ToShard } from './sharded-fleet.ts';

// A shard of the simulated city's fleet: a child process that holds MQTT connections for the
// devices the parent hands it, publishes what the parent's model produces, and passes received
// plans back. Started by sharded-fleet.ts over IPC; exits when told to stop or orphaned.

let fleet: Fleet | null = null;
let cityNow = Date.now();

const send = (m: FromShard) => {
  if (process.connected) process.send?.(m);
};

process.on('message', (raw) => {
  const m = raw as ToShard;
  switch (m.type) {
    case 'init':
      fleet = createLocalFleet({
        brokerUrl: m.brokerUrl,
        devices: m.devices,
        credentials: new Map(m.secrets),
        seed: m.seed,
        now: () => cityNow,
        onPlan: (intersectionId, payload) =>
          send({ type: 'plan', intersectionId, payload: payload.toString('utf8') }),
        ...(m.connectPerS === undefined ? {} : { connectPerS: m.connectPerS }),
      });
      break;
    case 'deliver':
      cityNow = m.nowMs;
      fleet?.deliver(m.messages);
      break;
    case 'stop':
      void stop();
      break;
  }
});

const statsTimer = setInterval(() => {
  if (fleet) send({ type: 'stats', stats: fleet.stats() });
}, 1000);

let stopping = false;

async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  clearInterval(statsTimer);
  await fleet?.stop();
  send({ type: 'stopped' });
  process.disconnect?.();
  process.exit(0);
}

// The parent went away without a goodbye: do not linger holding thousands of sockets.
process.on('disconnect', () => {
  void stop();
});
