import { createHash, randomBytes } from 'node:crypto';

/** Prefixes tell a leaked secret's kind at a glance (and let secret scanners recognise it). */
export const SESSION_PREFIX = 'chs_';
export const API_TOKEN_PREFIX = 'cht_';
export const REFRESH_PREFIX = 'chr_';

/** A new random secret: 256 bits, base64url, with its kind's prefix. */
export function newSecret(prefix: string): string {
  return prefix + randomBytes(32).toString('base64url');
}

/** What is stored: the SHA-256 of the secret (secrets are random, so no salt or slow hash is needed). */
export function secretHash(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}
