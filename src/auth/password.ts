import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import bcrypt from 'bcryptjs';

/** scrypt at OWASP's recommended cost (N=2^17, r=8, p=1): about 100 ms and 128 MiB per hash. */
const COST = { N: 2 ** 17, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;

function derive(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, { ...options, maxmem: 256 * 1024 * 1024 }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

/** `scrypt$N$r$p$salt$hash` (base64url): self-describing, so the cost can rise without invalidating old hashes. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, COST);
  return ['scrypt', COST.N, COST.r, COST.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** A bcrypt hash (`$2a$`, `$2b$`, `$2y$`), as the original system's passlib wrote them. */
const BCRYPT = /^\$2[aby]\$\d{2}\$[./A-Za-z0-9]{53}$/;

/** True for a hash that is not Charla's own scheme (an imported bcrypt one): replaced at the next sign-in. */
export function needsRehash(stored: string): boolean {
  return !stored.startsWith('scrypt$');
}

/** True for a hash `verifyPassword` can check: Charla's own, or a bcrypt one imported from the original system. */
export function isKnownHash(stored: string): boolean {
  return stored.startsWith('scrypt$') || BCRYPT.test(stored);
}

/**
 * True when `password` matches `stored`; false for a malformed hash. Besides Charla's scrypt
 * hashes it checks the bcrypt hashes of users imported from the original system (bcryptjs), as
 * the original did (passlib's bcrypt: the password's UTF-8 bytes, the first 72 counted).
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  if (BCRYPT.test(stored)) return bcrypt.compare(password, stored);
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const key = await derive(password, Buffer.from(salt, 'base64url'), { N: Number(n), r: Number(r), p: Number(p) });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** A password that is not an agent's: verified against when the e-mail is unknown, so timing reveals nothing. */
export const UNKNOWN_AGENT_HASH = 'scrypt$131072$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

/** A password to print once: 18 random bytes, base64url (24 characters). */
export function generatedPassword(): string {
  return randomBytes(18).toString('base64url');
}
