/**
 * The documented repairs of what Meta sends (docs/webhook-hardening.md): what every database can
 * store, decided here once so that PostgreSQL, MariaDB and PGlite give the same outcome.
 */

/** True when `text` holds a NUL or an unpaired UTF-16 surrogate (which UTF-8 cannot encode). */
export function hasUnstorableCharacters(text: string): boolean {
  return text.includes('\u0000') || !text.isWellFormed();
}

/** Free text (bodies, names, captions): NUL and unpaired surrogates become U+FFFD "�", visibly. */
export function storableText(text: string): string {
  // NUL: PostgreSQL refuses it in text; unpaired surrogates: UTF-8 cannot encode them.
  return text.replaceAll('\u0000', '\uFFFD').toWellFormed();
}

/** A text column on MySQL/MariaDB (TEXT) holds 65,535 bytes; Charla applies the same limit everywhere. */
export const MAX_TEXT_BYTES = 65_535;

export function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/**
 * The earliest and latest plausible message times: WhatsApp did not exist before 2009, and Meta's
 * clock is never a day ahead of ours. Both bounds are inside every database's timestamp range.
 */
const EARLIEST = Date.UTC(2009, 0, 1);
const MAX_AHEAD_MS = 24 * 60 * 60 * 1000;

/**
 * Meta's `timestamp` (seconds since the epoch, string or number) as a Date; an impossible one
 * (missing, not a whole number, before 2009 or more than a day after reception) is replaced by
 * the reception time, and `raw` keeps Meta's value for the record.
 */
export function metaTimestamp(value: unknown, receivedAt: Date): { date: Date; raw?: string } {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : undefined;
  if (text !== undefined && /^\d{1,12}$/.test(text)) {
    const ms = Number(text) * 1000;
    if (ms >= EARLIEST && ms <= receivedAt.getTime() + MAX_AHEAD_MS) return { date: new Date(ms) };
  }
  return { date: receivedAt, raw: value === undefined ? '(missing)' : storableText(String(JSON.stringify(value))).slice(0, 100) };
}

/** A value cut to a column's length (in UTF-16 units, never more code points), without a split surrogate pair. */
export function clip(text: string | undefined | null, length: number): string | null {
  if (text === undefined || text === null || text === '') return null;
  return storableText(text.slice(0, length));
}
