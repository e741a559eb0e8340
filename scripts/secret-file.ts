import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/** A random secret kept in a 0600 file (created on first use), e.g. the session cookie key. */
export function secretFromFile(path: string, bytes = 32): string {
  if (existsSync(path)) {
    const s = readFileSync(path, 'utf8').trim();
    if (s.length >= 32) return s;
  }
  const s = randomBytes(bytes).toString('base64url');
  writeFileSync(path, `${s}\n`, { mode: 0o600 });
  return s;
}
