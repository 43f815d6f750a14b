import type { Kysely } from 'kysely';
import type { DialectSupport } from '../db/dialects/dialect-support.js';
import type { Tables } from '../db/tables.js';

/**
 * Secret `nombre` of `charla_claves`, made by `make` and stored the first time it is asked for.
 * Processes that ask at once all get the same one: the first insert wins, the others' are ignored
 * and every process reads back what is stored.
 */
export async function ownKey(db: Kysely<Tables>, support: DialectSupport, nombre: string, make: () => string): Promise<string> {
  const stored = await db.selectFrom('charla_claves').select('valor').where('nombre', '=', nombre).executeTakeFirst();
  if (stored) return stored.valor;
  await support.ignoreDuplicates(db.insertInto('charla_claves').values({ nombre, valor: make() }), ['nombre']).execute();
  const row = await db.selectFrom('charla_claves').select('valor').where('nombre', '=', nombre).executeTakeFirstOrThrow();
  return row.valor;
}
