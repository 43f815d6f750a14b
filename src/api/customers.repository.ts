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

/**
 * The customers whose CRM records hold a normalised number (`clientes_telefonos`), by id: when
 * there are two or more, the number identifies nobody (customerOfNumber) and these are who it may be.
 */
export async function customersWithNumber(db: Kysely<Tables>, number: string): Promise<{ id: number; nombres: string }[]> {
  return db
    .selectFrom('clientes_telefonos')
    .innerJoin('clientes', 'clientes.id', 'clientes_telefonos.cliente_id')
    .select(['clientes.id', 'clientes.nombres'])
    .distinct()
    .where('clientes_telefonos.telefono', '=', number)
    .orderBy('clientes.id')
    .execute();
}
