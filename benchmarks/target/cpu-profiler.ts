import { Session } from 'node:inspector/promises';

// A target profiles only the bench's measured window (not its start-up), with the same V8
// sampling profiler `node --cpu-prof` uses, started and stopped over IPC.

let inspector: Session | null = null;

export async function startCpuProfile(): Promise<void> {
  inspector = new Session();
  inspector.connect();
  await inspector.post('Profiler.setSamplingInterval', { interval: 1000 });
  await inspector.post('Profiler.enable');
  await inspector.post('Profiler.start');
}

/** The profile since `startCpuProfile` (null if none was started). */
export async function stopCpuProfile(): Promise<unknown> {
  if (!inspector) return null;
  const { profile } = await inspector.post('Profiler.stop');
  inspector.disconnect();
  inspector = null;
  return profile;
}
