import { distance } from 'fastest-levenshtein';

/**
 * Customers write with typos, without accents, in capitals, several questions at once. Text is
 * compared as words: accent- and case-insensitive, tolerant of a typo in longer words, and never
 * by substring (`hi` does not match `chibi`).
 */
export function words(text: string): string[] {
  return text
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .replace(/[^\p{Letter}\p{Number}]+/gu, ' ')
    .trim()
    .split(' ')
    .filter(Boolean);
}

/** Two words are the same if equal, or one edit apart for 5+ letters, two for 9+. */
export function sameWord(written: string, expected: string): boolean {
  if (written === expected) return true;
  const length = Math.min(written.length, expected.length);
  if (length < 5 || /\d/.test(written)) return false;
  return distance(written, expected) <= (length >= 9 ? 2 : 1);
}

/** Where `phrase` (already split into words) appears in `text` as consecutive words, or -1. */
export function findPhrase(text: readonly string[], phrase: readonly string[]): number {
  for (let start = 0; start + phrase.length <= text.length; start++) {
    if (phrase.every((word, i) => sameWord(text[start + i] as string, word))) return start;
  }
  return -1;
}
