import type { Kysely } from 'kysely';
import type { DialectSupport } from '../db/dialects/dialect-support.js';
import type { Tables } from '../db/tables.js';
import { cedulaVariants } from './customer.repository.js';

/** What to look customers up by; any of them matches (see api/search-terms.ts). */
export interface CustomerCriteria {
  /** Digits of a cédula: matched however the CRM wrote it, through `clientes.cedula`'s index. */
  cedulaDigits: string | null;
  /** A number in Meta's digits: the customers `clientes_telefonos` gives it, or the one it was linked to. */
  phone: string | null;
  /** Folded words that must all be in `clientes.nombres` (case and accents ignored; a scan of clientes). */
  nameWords: readonly string[];
}

export interface CustomerMatchRow {
  id: number;
  nombres: string;
  cedula: string | null;
  telefono: string | null;
}

/** Customers matching any of the criteria, by name, at most `limit`. */
export async function findCustomers(
  db: Kysely<Tables>,
  support: DialectSupport,
  criteria: CustomerCriteria,
  limit: number,
): Promise<CustomerMatchRow[]> {
  const { cedulaDigits, phone, nameWords } = criteria;
  if (!cedulaDigits && !phone && nameWords.length === 0) return [];
  return db
    .selectFrom('clientes')
    .select(['id', 'nombres', 'cedula', 'telefono'])
    .where((eb) =>
      eb.or([
        ...(cedulaDigits ? [eb('cedula', 'in', cedulaVariants(cedulaDigits))] : []),
        ...(phone
          ? [
              eb('id', 'in', eb.selectFrom('clientes_telefonos').select('cliente_id').where('telefono', '=', phone)),
              eb(
                'id',
                'in',
                eb
                  .selectFrom('whatsapp_conversaciones')
                  .select('cliente_id')
                  .where('wa_number', '=', phone)
                  .where('vinculado_en', 'is not', null)
                  .where('cliente_id', 'is not', null)
                  .$narrowType<{ cliente_id: number }>(),
              ),
            ]
          : []),
        ...(nameWords.length > 0 ? [eb.and(nameWords.map((word) => support.search.containsFolded('nombres', word)))] : []),
      ]),
    )
    .orderBy('nombres')
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** The normalised numbers of these customers (`clientes_telefonos`). */
export async function numbersOfCustomers(db: Kysely<Tables>, clienteIds: readonly number[]): Promise<string[]> {
  if (clienteIds.length === 0) return [];
  const rows = await db
    .selectFrom('clientes_telefonos')
    .select('telefono')
    .distinct()
    .where('cliente_id', 'in', [...clienteIds])
    .execute();
  return rows.map((r) => r.telefono);
}
