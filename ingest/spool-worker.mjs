// Worker-thread entry of the threaded spool: registers tsx so the TypeScript worker runs as it is
// (the services have no build step; a worker does not inherit the parent's loader on Node 20).
import { register } from 'tsx/esm/api';

register();
await import('./spool-worker.ts');
