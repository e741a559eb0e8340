import { describe, expect, it } from 'vitest';
import {
  generatePassword,
  generateSecret,
  hashSecret,
  MACHINE_SECRET_COST,
  PASSWORD_COST,
  parseHash,
  verifySecret,
} from './secrets.ts';

describe('generateSecret', () => {
  it('returns 32 random bytes as base64url', () => {
    const a = generateSecret();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(a, 'base64url')).toHaveLength(32);
    expect(generateSecret()).not.toBe(a);
  });
});

describe('generatePassword', () => {
  it('returns 24 base64url characters, different each time', () => {
    const p = generatePassword();
    expect(p).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(generatePassword()).not.toBe(p);
  });
});

describe('hashSecret / verifySecret', () => {
  it('writes the self-describing scrypt$N$r$p$salt$hash format', async () => {
    const h = await hashSecret('s3cret', MACHINE_SECRET_COST);
    expect(h).toMatch(/^scrypt\$1024\$1\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(parseHash(h)?.cost).toEqual({ N: 1024, r: 1, p: 1 });
  });

  it('salts every hash', async () => {
    expect(await hashSecret('same', MACHINE_SECRET_COST)).not.toBe(
      await hashSecret('same', MACHINE_SECRET_COST),
    );
  });

  it('verifies the right secret and refuses a wrong one', async () => {
    const secret = generateSecret();
    const h = await hashSecret(secret, MACHINE_SECRET_COST);
    expect(await verifySecret(secret, h)).toBe(true);
    expect(await verifySecret(`${secret}x`, h)).toBe(false);
    expect(await verifySecret('', h)).toBe(false);
  });

  it('verifies with the cost stored in the hash (password grade)', async () => {
    const h = await hashSecret('correct horse', PASSWORD_COST);
    expect(h.startsWith('scrypt$32768$8$1$')).toBe(true);
    expect(await verifySecret('correct horse', h)).toBe(true);
    expect(await verifySecret('correct horsE', h)).toBe(false);
  });

  it('never matches a malformed or tampered hash', async () => {
    const h = await hashSecret('x', MACHINE_SECRET_COST);
    const parts = h.split('$');
    const bad = [
      '',
      'plain',
      h.replace('scrypt', 'bcrypt'),
      [...parts.slice(0, 1), '1000', ...parts.slice(2)].join('$'), // N not a power of two
      [...parts.slice(0, 1), String(2 ** 24), ...parts.slice(2)].join('$'), // N too large
      [...parts.slice(0, 2), '0', ...parts.slice(3)].join('$'), // r out of range
      [...parts.slice(0, 5), 'AAAA'].join('$'), // truncated key
      `${h}$extra`,
    ];
    for (const b of bad) {
      expect(parseHash(b)).toBeNull();
      expect(await verifySecret('x', b)).toBe(false);
    }
  });
});
