#!/usr/bin/env node
// `npx city …`: the operator's command line. Registers tsx so the TypeScript sources run as
// they are (the services have no build step), then hands over to scripts/city.ts.
import { register } from 'tsx/esm/api';

register();
await import('./city.ts');
