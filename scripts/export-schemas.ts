// Writes docs/schemas/<topic>.json from the protocol's zod schemas (`npm run schemas`).
// protocol/json-schema.test.ts fails when the committed files differ from what this writes.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { protocolJsonSchemas } from '../protocol/json-schema.ts';

const dir = join(import.meta.dirname, '..', 'docs', 'schemas');
mkdirSync(dir, { recursive: true });
for (const [key, schema] of Object.entries(protocolJsonSchemas())) {
  writeFileSync(join(dir, `${key}.json`), `${JSON.stringify(schema, null, 2)}\n`);
}
console.log(`wrote ${dir}`);
