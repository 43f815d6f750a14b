import type { Kysely } from 'kysely';
import { customersByNumber } from '../customers/customer-phone.repository.js';
import type { Tables } from '../db/tables.js';

/** The customer a normalised number belongs to, with the columns the original API returned; undefined if none or several. */
export async function customerOfNumber(db: Kysely<Tables>, number: string) {
  const id = (await customersByNumber(db, [number])).get(number);
  if (id === undefined) return undefined;
  return db
    .selectFrom('clientes')
    .select(['id', 'cedula', 'nombres', 'telefono', 'email', 'direccion', 'fecha_nacimiento', 'ocupacion', 'estado'])
    .where('id', '=', id)
    .executeTakeFirst();
}
