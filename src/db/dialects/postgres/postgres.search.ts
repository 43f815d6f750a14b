import { sql } from 'kysely';
import type { TextSearch } from '../dialect-support.js';
import { isPlainWord } from '../../text-search.js';
import { TEXT_SEARCH_CONFIG } from './postgres.ddl.js';

/**
 * Every way a folded letter may be written, upper case included (`~*` only folds ASCII case under
 * the C locale PGlite uses).
 */
const VARIANTS: Readonly<Record<string, string>> = {
  a: 'aáàâäãåAÁÀÂÄÃÅ',
  e: 'eéèêëEÉÈÊË',
  i: 'iíìîïIÍÌÎÏ',
  o: 'oóòôöõOÓÒÔÖÕ',
  u: 'uúùûüUÚÙÛÜ',
  n: 'nñNÑ',
  c: 'cçCÇ',
};

/**
 * A case-insensitive regular expression matching folded `text` anywhere, each letter as any of its
 * accented forms. A regular expression, not translate() of the column: translating every row of
 * 60,000 customers' names costs 140 ms, the expression 15 ms (docs/decisions.md, "Search").
 */
export function foldedRegex(text: string): string {
  return [...text].map((ch) => (VARIANTS[ch] ? `[${VARIANTS[ch]}]` : ch.replace(/[\\^$.|?*+()[\]{}-]/, '\\$&'))).join('');
}

/**
 * Full-text search with `to_tsvector('spanish', column) @@ to_tsquery('spanish', 'w1 & w2:*')`: the
 * same expression as the GIN index of postgres.ddl.ts (the configuration written as a literal, not
 * a parameter, or the planner cannot match the index). Stop words (`la`, `de`) drop out of the query.
 */
export const postgresSearch: TextSearch = {
  allWords(column, words) {
    const plain = words.filter(isPlainWord);
    if (plain.length === 0) return null;
    const query = plain.map((word, i) => (i === plain.length - 1 ? `${word}:*` : word)).join(' & ');
    const config = sql.lit(TEXT_SEARCH_CONFIG);
    return sql<boolean>`to_tsvector(${config}, ${sql.ref(column)}) @@ to_tsquery(${config}, ${query})`;
  },
  filtersWithoutIndex: true,
  containsFolded(column, text) {
    return sql<boolean>`${sql.ref(column)} ~* ${foldedRegex(text)}`;
  },
};
