import { validPhone } from '../customers/phone-number.js';

/**
 * What the listing's `from_number` asks for (docs/api.md, "Filtering by sender"). The original
 * front end's filter box sends it on every keystroke (`5`, `58`, `5841`…) and the original matched
 * it as a substring of the stored number (`LIKE %x%`); API clients send a whole number in any format.
 */
export type SenderFilter =
  /** A whole number (`+58 412-123 4567`, `04121234567`): that sender, normalised as stored. */
  | { kind: 'exact'; number: string }
  /** Part of a number: senders whose number contains these digits. */
  | { kind: 'contains'; digits: string }
  /** Text that no stored number can contain (letters, say): no rows, as the original's LIKE. */
  | { kind: 'nothing' };

/** What people type around the digits of a number: spaces, `+`, `-`, dots, parentheses. */
const FORMATTING = /[\s+\-.()]/g;

/** Null for an empty box (no filter, as the original, which ignored an empty `from_number`). */
export function readSenderFilter(text: string, defaultCallingCode: string): SenderFilter | null {
  if (text.trim() === '') return null;
  const whole = validPhone(text, defaultCallingCode);
  if (whole) return { kind: 'exact', number: whole };
  const digits = text.replace(FORMATTING, '');
  return /^\d+$/.test(digits) ? { kind: 'contains', digits } : { kind: 'nothing' };
}
