import { stdSerializers } from 'pino';

/** A date (`2026-11-25`) or an IPv4 address: digits that are not a phone number, kept as they are. */
const OCTET = String.raw`(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)`;
const NOT_A_PHONE = String.raw`\d{4}-\d{2}-\d{2}(?!\d)|${OCTET}(?:\.${OCTET}){3}(?![\d.])`;
/** Digits as people write numbers: with `+`, spaces, dashes, dots, parentheses (`+58 (414) 123-45.67`, `0414-1234567`). */
const NUMBER = String.raw`\+?\(?\d(?:[ .()-]{0,2}\d)*`;
const NUMBER_LIKE = new RegExp(`(${NOT_A_PHONE})|${NUMBER}`, 'g');
/** Seven digits or more: a phone number (or a cédula) in free text, however it is written. */
const MIN_DIGITS = 7;
/** Letters, digits and `._%+-` (and `*` of a number masked first) before the `@`: stops at `/`, `?`, `=` of a URL. */
const EMAIL = /[\p{L}\p{N}._%+*-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu;

/** `%2B58%20414…` in a URL: printable characters other than `"` and `\` (so JSON text stays valid). */
const PERCENT_ESCAPE = /%(2[013-9a-f]|[3-4][0-9a-f]|5[0-9abd-f]|6[0-9a-f]|7[0-9a-e])/gi;

/**
 * Phone numbers keep their last 4 digits (`***4567`), e-mails become `[e-mail]`: enough to
 * correlate, not to identify. URL-encoded text is decoded first (`/numero/%2B58%20414%201234567`).
 */
export function maskPersonalData(text: string): string {
  const decoded = text.includes('%')
    ? text.replace(PERCENT_ESCAPE, (_escape, hex: string) => String.fromCharCode(parseInt(hex, 16)))
    : text;
  return decoded
    .replace(NUMBER_LIKE, (match: string, notAPhone: string | undefined) => {
      if (notAPhone !== undefined) return match;
      const digits = match.replace(/\D/g, '');
      return digits.length >= MIN_DIGITS ? `***${digits.slice(-4)}` : match;
    })
    .replace(EMAIL, '[e-mail]');
}

/** A JSON string literal, and the escapes inside one (kept whole so that masking never breaks them). */
const JSON_STRING = /"(?:[^"\\]|\\.)*"/g;
const JSON_ESCAPE = /(\\u[0-9a-fA-F]{4}|\\.)/;

/**
 * The last step before a log line is written (pino's `streamWrite` hook): every string in the
 * line — message, values at any depth, keys, child-logger bindings, what Fastify or a serializer
 * added — goes through `maskPersonalData`. Numbers (`time`, `pid`) are not strings and stay.
 */
export function maskLogLine(line: string): string {
  return line.replace(JSON_STRING, (literal) => {
    if (!/[\d@]/.test(literal)) return literal;
    const parts = literal.split(JSON_ESCAPE);
    for (let i = 0; i < parts.length; i += 2) parts[i] = maskPersonalData(parts[i] as string);
    return parts.join('');
  });
}

/** Keys pino serializes itself (`err` with `safeErrorSerializer`): left for their serializers. */
const SERIALIZED_KEYS = new Set(['err', 'req', 'res']);
const MAX_DEPTH = 6;

/**
 * pino's `formatters.log`: an error logged under any key or inside any value (`{ error }`,
 * `{ failures: [e1, e2] }`) is logged like `err`, through `safeErrorSerializer`; pino would
 * otherwise write its enumerable fields, the driver's `detail` and `sql` among them.
 */
export function withSafeErrors(object: Record<string, unknown>): Record<string, unknown> {
  let copy: Record<string, unknown> | undefined;
  for (const [key, value] of Object.entries(object)) {
    if (SERIALIZED_KEYS.has(key)) continue;
    const safe = safeValue(value, 1);
    if (safe !== value) (copy ??= { ...object })[key] = safe;
  }
  return copy ?? object;
}

function safeValue(value: unknown, depth: number): unknown {
  if (value instanceof Error) return safeErrorSerializer(value);
  if (typeof value !== 'object' || value === null || depth > MAX_DEPTH) return value;
  if (Array.isArray(value)) {
    const items = value as unknown[];
    let copy: unknown[] | undefined;
    items.forEach((item, index) => {
      const safe = safeValue(item, depth + 1);
      if (safe !== item) (copy ??= [...items])[index] = safe;
    });
    return copy ?? value;
  }
  const prototype = Object.getPrototypeOf(value) as unknown;
  if (prototype !== Object.prototype && prototype !== null) return value; // class instances (Date, Buffer, a request) as pino writes them
  let copy: Record<string, unknown> | undefined;
  for (const [key, item] of Object.entries(value)) {
    const safe = safeValue(item, depth + 1);
    if (safe !== item) (copy ??= { ...(value as Record<string, unknown>) })[key] = safe;
  }
  return copy ?? value;
}

/**
 * Database drivers put the offending values in their errors (PostgreSQL's `detail`: "Key
 * (email)=(ana@…) already exists", MySQL's "Duplicate entry 'ana@…'", the SQL text with values):
 * an error is logged with its type, code and masked message and stack, never those fields.
 */
export function safeErrorSerializer(error: unknown, depth = 0): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: maskPersonalData(String(error)) };
  const serialized = stdSerializers.err(error) as unknown as Record<string, unknown>;
  const kept: Record<string, unknown> = {};
  for (const key of ['type', 'code', 'errno', 'sqlState', 'constraint', 'table', 'column', 'statusCode']) {
    if (serialized[key] !== undefined) kept[key] = serialized[key];
  }
  if (typeof serialized.message === 'string') kept.message = maskPersonalData(serialized.message);
  if (typeof serialized.stack === 'string') kept.stack = maskPersonalData(serialized.stack);
  if (error.cause !== undefined && depth < MAX_DEPTH) kept.cause = safeErrorSerializer(error.cause, depth + 1);
  return kept;
}
