import { type ChildProcess, fork } from 'node:child_process';
import { readFile } from 'node:fs/promises';

/**
 * A system under test in its own process, so its memory and CPU are measured apart from the
 * load generator: forked with tsx, it answers `{ type: 'ready', info }` once it listens.
 */
export interface Target<I> {
  readonly pid: number;
  readonly info: I;
  readonly child: ChildProcess;
  /** Resident memory, bytes (from /proc). */
  rss(): Promise<number>;
  /** CPU time used so far (user + system), ms. */
  cpuMs(): Promise<number>;
  /** True while the process is alive (a crash under load is a finding, not an exception). */
  alive(): boolean;
  /** Sends `{ cmd }` and resolves with field `field` of the first reply of type `reply`. */
  ask<T>(cmd: string, reply: string, field: string): Promise<T>;
  stop(): Promise<number | null>;
}

export async function spawnTarget<I>(
  modulePath: string,
  opts: { env?: NodeJS.ProcessEnv; execArgv?: string[]; args?: string[]; timeoutMs?: number } = {},
): Promise<Target<I>> {
  const child = fork(modulePath, opts.args ?? [], {
    execArgv: ['--import', 'tsx', ...(opts.execArgv ?? [])],
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const info = await new Promise<I>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${modulePath} not ready within ${opts.timeoutMs ?? 120_000} ms`));
    }, opts.timeoutMs ?? 120_000);
    child.on('message', (m: { type: string; info?: I; error?: string }) => {
      if (m.type === 'ready') {
        clearTimeout(timer);
        resolve(m.info as I);
      } else if (m.type === 'error') {
        clearTimeout(timer);
        reject(new Error(m.error));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${modulePath} exited with ${code} before it was ready`));
    });
  });
  const pid = child.pid ?? -1;
  let exitCode: number | null | undefined;
  child.on('exit', (code, signal) => {
    exitCode = code ?? (signal ? -1 : null);
  });
  return {
    pid,
    info,
    child,
    rss: () => procRss(pid),
    cpuMs: () => procCpuMs(pid),
    alive: () => exitCode === undefined,
    ask: <T>(cmd: string, reply: string, field: string) =>
      new Promise<T>((resolve, reject) => {
        if (!child.connected) return reject(new Error(`${modulePath} is gone`));
        const onMsg = (m: Record<string, unknown>) => {
          if (m.type !== reply) return;
          child.off('message', onMsg);
          resolve(m[field] as T);
        };
        child.on('message', onMsg);
        child.send({ cmd });
      }),
    async stop() {
      if (exitCode !== undefined) return exitCode;
      return new Promise((resolve) => {
        const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
        child.once('exit', (code) => {
          clearTimeout(timer);
          resolve(code);
        });
        if (child.connected) child.send({ cmd: 'stop' });
        else child.kill('SIGTERM');
      });
    },
  };
}

export async function procRss(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
  return Number(kb ?? 0) * 1024;
}

/** utime + stime of a process in ms (clock ticks are 100 per second on Linux). */
export async function procCpuMs(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which is in parentheses and may contain spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}
