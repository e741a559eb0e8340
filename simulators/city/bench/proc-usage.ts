import { readFileSync } from 'node:fs';

// CPU and memory of a process and its descendants from /proc (Linux), for measurements that
// must count child processes too (the city's shards).

/** The pid and every live descendant (found through /proc/PID/task/PID/children). */
export function processTree(pid: number): number[] {
  const out = [pid];
  for (let i = 0; i < out.length; i++) {
    const p = out[i] as number;
    let tasks: string[] = [];
    try {
      tasks = readFileSync(`/proc/${p}/task/${p}/children`, 'utf8').split(' ').filter(Boolean);
    } catch {
      tasks = [];
    }
    for (const k of tasks) out.push(Number(k));
  }
  return out;
}

/** utime + stime of one process, in clock ticks (1/100 s); 0 when it is gone. */
export function cpuTicks(pid: number): number {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return Number(f[11]) + Number(f[12]);
  } catch {
    return 0;
  }
}

/** Resident memory of one process in bytes; 0 when it is gone. */
export function rssBytes(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

export const treeCpuTicks = (pid: number): number => processTree(pid).reduce((s, p) => s + cpuTicks(p), 0);
export const treeRssBytes = (pid: number): number => processTree(pid).reduce((s, p) => s + rssBytes(p), 0);
