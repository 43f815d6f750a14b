import type { Insertable, Kysely } from 'kysely';
import type { DialectSupport } from './dialects/dialect-support.js';
import type { Tables } from './tables.js';

type TablesWithId = { [K in keyof Tables]: Tables[K] extends { id: unknown } ? K : never }[keyof Tables];

/** Inserts one row and returns its generated id: RETURNING where supported, the insert id elsewhere (MySQL). */
export async function insertReturningId<T extends TablesWithId>(
  db: Kysely<Tables>,
  support: DialectSupport,
  table: T,
  values: Insertable<Tables[T]>,
): Promise<number> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Kysely cannot type a table chosen by a generic.
  const query = (db as Kysely<any>).insertInto(table).values(values);
  if (support.supportsReturning) {
    const row = (await query.returning('id').executeTakeFirstOrThrow()) as { id: number };
    return row.id;
  }
  return Number((await query.executeTakeFirstOrThrow()).insertId);
}
