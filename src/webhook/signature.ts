import { createHmac, timingSafeEqual } from 'node:crypto';

/** `X-Hub-Signature-256`: `sha256=` + hex HMAC-SHA256 of the raw body bytes with the app secret. */
export function isValidSignature(rawBody: Buffer, header: string | undefined, appSecret: string): boolean {
  // Exactly 64 hex digits: Buffer.from(…, 'hex') alone would stop at the first junk character.
  const match = typeof header === 'string' ? /^sha256=([0-9a-fA-F]{64})$/.exec(header) : null;
  if (!match) return false;
  const given = Buffer.from(match[1] as string, 'hex');
  const expected = createHmac('sha256', appSecret).update(rawBody).digest();
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function sign(rawBody: Buffer | string, appSecret: string): string {
  return `sha256=${createHmac('sha256', appSecret).update(rawBody).digest('hex')}`;
}

/** Compares two secrets in constant time (for the verify token and bearer tokens). */
export function secretsEqual(given: string, expected: string): boolean {
  const a = createHmac('sha256', 'charla').update(given).digest();
  const b = createHmac('sha256', 'charla').update(expected).digest();
  return timingSafeEqual(a, b);
}
