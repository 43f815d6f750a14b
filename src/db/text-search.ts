/**
 * What every database's text search shares (DialectSupport.search): how a query becomes words,
 * and text compared without case or accents.
 */

/** Lower case without accents or other marks: `Núñez` → `nunez`, `PAGUÉ` → `pague`. */
export function foldText(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** The words of a search: runs of letters and digits, lower case, at most `max` of them (the rest is punctuation to the search). */
export function searchWords(text: string, max = 8): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, max);
}

/** `text` as a LIKE pattern matching it anywhere, its `%`, `_` and `\` taken literally (the default escape on both families). */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Only letters and digits: a word that cannot carry an operator into a full-text query. */
export function isPlainWord(word: string): boolean {
  return /^[\p{L}\p{N}]+$/u.test(word);
}
