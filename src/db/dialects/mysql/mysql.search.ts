import { sql } from 'kysely';
import type { TextSearch } from '../dialect-support.js';
import { containsPattern, isPlainWord } from '../../text-search.js';

/** InnoDB's default `innodb_ft_min_token_size`: shorter words are not in a FULLTEXT index. */
const MIN_WORD = 3;

/**
 * InnoDB's default stop words (INFORMATION_SCHEMA.INNODB_FT_DEFAULT_STOPWORD): not in the index, so
 * a required one (`+la`) would make every search fail; they are left out of the query.
 */
const STOP_WORDS = new Set(
  'a about an are as at be by com de en for from how i in is it la of on or that the this to was what when where who will with und www'.split(
    ' ',
  ),
);

/**
 * Full-text search with `MATCH (column) AGAINST ('+w1 +w2*' IN BOOLEAN MODE)` along the column's
 * FULLTEXT index: every word required, the last as a prefix. Words are compared under the
 * column's collation (utf8mb4_unicode_ci: no case, no accents).
 */
export const mysqlSearch: TextSearch = {
  allWords(column, words) {
    const usable = words.filter((w) => isPlainWord(w) && [...w].length >= MIN_WORD && !STOP_WORDS.has(w.toLowerCase()));
    if (usable.length === 0) return null;
    const query = usable.map((word, i) => `+${word}${i === usable.length - 1 ? '*' : ''}`).join(' ');
    return sql<boolean>`match(${sql.ref(column)}) against (${query} in boolean mode)`;
  },
  filtersWithoutIndex: false,
  containsFolded(column, text) {
    return sql<boolean>`lower(${sql.ref(column)}) like ${containsPattern(text)}`;
  },
};
