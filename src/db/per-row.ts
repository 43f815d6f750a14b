import { sql, type RawBuilder } from 'kysely';

type Value = string | number | boolean | Date | null;

/**
 * `CASE <key> WHEN k1 THEN v1 … ELSE <column> END`: one UPDATE gives each row its own value. The ELSE
 * branch (the column itself) is what lets PostgreSQL type the parameters as the column's type, so the
 * same SQL works for text, integers, booleans and timestamps on every database, and rows not listed
 * keep their value.
 */
export function perRow<T extends Value>(key: string, column: string, pairs: readonly (readonly [string | number, T])[]): RawBuilder<T> {
  return sql<T>`case ${sql.ref(key)} ${sql.join(
    pairs.map(([k, v]) => sql`when ${k} then ${v}`),
    sql` `,
  )} else ${sql.ref(column)} end`;
}
