import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { CharlaError } from '../errors/charla-error.js';

/**
 * Phone numbers as digits with their country code (`584121234567`), the form Meta's `from` uses.
 * CRM records hold `+584121234567`, `04121234567`, `412-1234567`, `+58 412 1234567`, … and
 * sometimes several numbers separated by `/`.
 */
export function normalizePhone(raw: string, defaultCallingCode: string): string | null {
  const text = raw.trim();
  // Meta's `from`: already international digits (the hot path of every webhook delivery).
  if (/^[1-9]\d{9,14}$/.test(text) && text.startsWith(defaultCallingCode)) return text;
  if (!/\d/.test(text)) return null;
  // Meta's `from` and numbers stored with their country code but without a "+".
  const candidates = text.startsWith('+') || text.startsWith('0') ? [text] : [`+${text}`, text];
  for (const candidate of candidates) {
    const parsed = parsePhoneNumberFromString(candidate, { defaultCallingCode });
    if (parsed?.isPossible()) return parsed.number.slice(1);
  }
  return null;
}

/**
 * A complete number that exists in its country's numbering plan (libphonenumber's `isValid`, not
 * only a possible length), normalised; null otherwise. Tells a number typed whole, in any format,
 * from the first digits of one (`5841212345` is a possible length for Venezuela, not a number).
 */
export function validPhone(raw: string, defaultCallingCode: string): string | null {
  const text = raw.trim();
  if (!/\d/.test(text)) return null;
  const candidates = text.startsWith('+') || text.startsWith('0') ? [text] : [`+${text}`, text];
  for (const candidate of candidates) {
    const parsed = parsePhoneNumberFromString(candidate, { defaultCallingCode });
    if (parsed?.isValid()) return parsed.number.slice(1);
  }
  return null;
}

/** A phone number given by a caller (an API path or body): normalised, or a 400 that quotes it. */
export function requirePhone(raw: string, defaultCallingCode: string): string {
  const normalized = normalizePhone(raw, defaultCallingCode);
  if (!normalized)
    throw new CharlaError('HTTP_BAD_REQUEST', `"${raw}" is not a phone number.`, {
      detalle: `"${raw}" no es un número de teléfono: escríbelo completo, por ejemplo 0412-1234567 o +58 412 1234567.`,
    });
  return normalized;
}

/** Every number in a CRM phone field, normalised and without repeats. */
export function phonesOf(field: string, defaultCallingCode: string): string[] {
  const numbers = field
    .split(/[/,;|]| y | o /)
    .map((part) => normalizePhone(part, defaultCallingCode))
    .filter((n): n is string => n !== null);
  return [...new Set(numbers)];
}
