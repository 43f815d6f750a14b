import { sql } from 'kysely';
import type { TextSearch } from '../dialect-support.js';
import { containsPattern, isPlainWord } from '../../text-search.js';
import { TEXT_SEARCH_CONFIG } from './postgres.ddl.js';

/** Accented and upper-case letters translate() folds (lower() only folds ASCII under the C locale PGlite uses). */
const ACCENTED = 'áàâäãåéèêëíìîïóòôöõúùûüñçÁÀÂÄÃÅÉÈÊËÍÌÎÏÓÒÔÖÕÚÙÛÜÑÇ';
const PLAIN = 'aaaaaaeeeeiiiiooooouuuuncaaaaaaeeeeiiiiooooouuuunc';

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
    return sql<boolean>`translate(lower(${sql.ref(column)}), ${ACCENTED}, ${PLAIN}) like ${containsPattern(text)}`;
  },
};
