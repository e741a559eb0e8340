// Entry of a broker worker process: registers tsx so the TypeScript worker runs as it is (the
// services have no build step, and a forked process does not inherit the parent's loader).
import { register } from 'tsx/esm/api';

register();
await import('./broker-worker.ts');
