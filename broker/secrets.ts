import { randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';

/** scrypt work factors; stored with every hash so they can change without a migration. */
export interface ScryptCost {
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

/**
 * Device and service secrets are 32 random bytes (256 bits of entropy): no amount of hash
 * stretching makes guessing them any harder, since 2^256 candidates are out of reach whatever
 * each costs. The hash only keeps a stolen registry file from being a list of working
 * credentials. So the cost is low on purpose: a reconnect storm of 22,000 devices (after a
 * broker restart) must verify every secret, and at N=2^10, r=1 one verify costs about 0.5 ms
 * of one core instead of the ~100 ms a password-grade setting would (about 37 minutes of CPU).
 */
export const MACHINE_SECRET_COST: ScryptCost = Object.freeze({ N: 2 ** 10, r: 1, p: 1 });

/**
 * Operator passwords are chosen (or at least typed) by people and may be guessable, so each
 * guess must be expensive: N=2^15, r=8 costs about 115 ms and 32 MiB per attempt on our 2-core
 * machines. Operators log in rarely, so the cost is paid seldom; a stolen registry file costs an
 * attacker the same per guess.
 */
export const PASSWORD_COST: ScryptCost = Object.freeze({ N: 2 ** 15, r: 8, p: 1 });

const KEY_BYTES = 32;
const SALT_BYTES = 16;
// Refuse parameters from a tampered registry that would make one verify exhaust memory or CPU.
const MAX_N = 2 ** 20;
const MAX_R = 32;
const MAX_P = 16;

function scrypt(secret: string, salt: Buffer, cost: ScryptCost): Promise<Buffer> {
  // scrypt needs 128 * N * r bytes; node's default maxmem (32 MiB) is exactly PASSWORD_COST's need
  // and too tight once overhead counts, so allow twice the requirement.
  const maxmem = 2 * 128 * cost.N * cost.r + 1024 * 1024;
  return new Promise((resolve, reject) => {
    scryptCb(secret, salt, KEY_BYTES, { N: cost.N, r: cost.r, p: cost.p, maxmem }, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

/** A new device or service secret: 32 random bytes, base64url (43 characters). */
export function generateSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** A new operator password: 18 random bytes, base64url (24 characters, 144 bits). */
export function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}

/** Hashes a secret into the self-describing form `scrypt$N$r$p$salt$hash` (base64url parts). */
export async function hashSecret(secret: string, cost: ScryptCost): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await scrypt(secret, salt, cost);
  return `scrypt$${cost.N}$${cost.r}$${cost.p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

interface ParsedHash {
  readonly cost: ScryptCost;
  readonly salt: Buffer;
  readonly key: Buffer;
}

/** Parses a stored hash, or returns null when it is not a well-formed scrypt hash we accept. */
export function parseHash(encoded: string): ParsedHash | null {
  const parts = encoded.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null;
  const [, n, r, p, salt, key] = parts as [string, string, string, string, string, string];
  const N = Number(n);
  const R = Number(r);
  const P = Number(p);
  const isPow2 = Number.isInteger(N) && N >= 2 && N <= MAX_N && (N & (N - 1)) === 0;
  if (!isPow2 || !Number.isInteger(R) || R < 1 || R > MAX_R || !Number.isInteger(P) || P < 1 || P > MAX_P) {
    return null;
  }
  const saltBuf = Buffer.from(salt, 'base64url');
  const keyBuf = Buffer.from(key, 'base64url');
  if (saltBuf.length < 8 || keyBuf.length !== KEY_BYTES) return null;
  return { cost: { N, r: R, p: P }, salt: saltBuf, key: keyBuf };
}

/**
 * True when `secret` matches `encoded`. Compares in constant time; a malformed hash never
 * matches (and never throws).
 */
export async function verifySecret(secret: string, encoded: string): Promise<boolean> {
  const parsed = parseHash(encoded);
  if (parsed === null) return false;
  const key = await scrypt(secret, parsed.salt, parsed.cost);
  return timingSafeEqual(key, parsed.key);
}
