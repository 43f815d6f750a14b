import { normalizePhone } from '../customers/phone-number.js';
import { foldText, searchWords } from '../db/text-search.js';

/** What a search text may be: several of these at once (a number can be a cédula and a phone). */
export interface SearchTerms {
  /** The cédula's digits, when the text is one (`V-12.345.678`, `12345678`, `e12345678`). */
  cedulaDigits: string | null;
  /** The text as a phone number in Meta's digits, when it is one (`0412-1234567`, `+58 412 1234567`). */
  phone: string | null;
  /** The text's digits when it is only digits and phone punctuation (5 or more): part of a number. */
  digits: string | null;
  /** Words of a name (folded: lower case, no accents), when the text has letters and is not a cédula. */
  nameWords: string[];
  /** Words to look for in messages' bodies. */
  words: string[];
}

const CEDULA = /^(?:[VvEe][\s.-]*)?(\d{1,3}(?:\.\d{3})+|\d{5,10})$/;
const PHONE_LIKE = /^[+\d\s().\-/]+$/;

/** Reads a search text (already trimmed and checked by the route's schema). */
export function searchTerms(text: string, defaultCallingCode: string): SearchTerms {
  const cedula = CEDULA.exec(text);
  const phoneLike = PHONE_LIKE.test(text);
  const digits = text.replace(/\D/g, '');
  return {
    cedulaDigits: cedula ? (cedula[1] as string).replace(/\./g, '') : null,
    phone: phoneLike && digits.length >= 7 ? normalizePhone(text, defaultCallingCode) : null,
    digits: phoneLike && digits.length >= 5 ? digits : null,
    nameWords: !cedula && /\p{L}/u.test(text) ? searchWords(foldText(text)) : [],
    words: searchWords(text),
  };
}

/**
 * The part of `body` around the first of `words` found (case and accents ignored), `width`
 * characters at most, with `…` where it was cut; the start of the body when none is found as
 * written (a search by stems also finds other forms of a word: `pagos` for `pagué`).
 */
export function snippet(body: string, words: readonly string[], width = 160): string {
  const chars = [...body];
  if (chars.length <= width) return body;
  let folded = '';
  const starts = chars.map((c) => {
    const at = folded.length;
    folded += foldText(c);
    return at;
  });
  const found = words
    .map(foldText)
    .flatMap((w) => [w, w.slice(0, 4)])
    .filter((w) => w.length > 0)
    .map((w) => folded.indexOf(w))
    .filter((i) => i >= 0);
  const at = found.length > 0 ? Math.min(...found) : 0;
  let index = 0;
  while (index + 1 < starts.length && (starts[index + 1] as number) <= at) index++;
  const start = index < width / 3 ? 0 : index - Math.floor(width / 3);
  const end = Math.min(chars.length, start + width);
  return `${start > 0 ? '…' : ''}${chars.slice(start, end).join('')}${end < chars.length ? '…' : ''}`;
}
