import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { protocolJsonSchemas } from './json-schema.ts';
import { topicKeys } from './topics.ts';

describe('JSON Schema export', () => {
  const schemas = protocolJsonSchemas();

  it('covers every topic', () => {
    expect(Object.keys(schemas).sort()).toEqual([...topicKeys].sort());
  });

  it('matches the committed docs/schemas (run `npm run schemas` after changing the protocol)', () => {
    for (const [key, schema] of Object.entries(schemas)) {
      const committed = readFileSync(
        join(import.meta.dirname, '..', 'docs', 'schemas', `${key}.json`),
        'utf8',
      );
      expect(JSON.parse(committed), key).toEqual(schema);
    }
  });

  it('keeps ranges vendors must respect', () => {
    const camera = schemas.cameraCounts as { properties: Record<string, { maximum?: number }> };
    expect(camera.properties.occupancy?.maximum).toBe(1);
  });
});
