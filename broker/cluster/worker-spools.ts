/**
 * Each broker worker has its own spool, named after its index, not its pid: a worker restarted
 * in the same slot opens its predecessor's file and drains what it acknowledged.
 */
export function workerSpoolFile(index: number): string {
  return `spool-w${index}.sqlite`;
}

const WORKER_SPOOL = /^spool-w(\d+)\.sqlite$/;

/**
 * Worker spools in a data folder that no worker of this run will open (a previous run had more
 * broker processes): what they hold was acknowledged, so the platform drains them itself.
 */
export function orphanWorkerSpools(fileNames: readonly string[], processes: number): string[] {
  return fileNames.filter((name) => {
    const m = WORKER_SPOOL.exec(name);
    // With one process there are no workers: every worker spool is left over.
    return m !== null && (processes <= 1 || Number(m[1]) >= processes);
  });
}
