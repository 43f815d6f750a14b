import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Tables } from '../db/tables.js';
import { phonesOf } from './phone-number.js';

/**
 * The customer a WhatsApp number belongs to: the customer an agent linked it to
 * (`whatsapp_conversaciones.vinculado_en` set), otherwise through the `clientes_telefonos` index,
 * where a number shared by two customers identifies nobody.
 */
export async function customersByNumber(db: Kysely<Tables>, numbers: readonly string[]): Promise<Map<string, number>> {
  const identified = new Map<string, number>();
  if (numbers.length === 0) return identified;
  const unique = [...new Set(numbers)];
  const linked = await db
    .selectFrom('whatsapp_conversaciones')
    .select(['wa_number', 'cliente_id'])
    .where('wa_number', 'in', unique)
    .where('vinculado_en', 'is not', null)
    .where('cliente_id', 'is not', null)
    .execute();
  for (const row of linked) identified.set(row.wa_number, row.cliente_id as number);
  const rest = unique.filter((n) => !identified.has(n));
  if (rest.length === 0) return identified;
  const rows = await db.selectFrom('clientes_telefonos').select(['telefono', 'cliente_id']).where('telefono', 'in', rest).execute();
  const owners = new Map<string, Set<number>>();
  for (const row of rows) owners.set(row.telefono, (owners.get(row.telefono) ?? new Set()).add(row.cliente_id));
  for (const [number, ids] of owners) if (ids.size === 1) identified.set(number, [...ids][0] as number);
  return identified;
}

/** The same rule as a scalar subquery, to identify the customer inside an INSERT. */
export function customerOfNumber(number: string): RawBuilder<number | null> {
  return sql<number | null>`coalesce(
    (select cliente_id from whatsapp_conversaciones where wa_number = ${number} and vinculado_en is not null),
    (select case when count(distinct cliente_id) = 1 then min(cliente_id) end from clientes_telefonos where telefono = ${number}))`;
}

export interface PhoneSyncResult {
  customers: number;
  changed: number;
  removed: number;
}

/**
 * Brings `clientes_telefonos` in step with `clientes.telefono`: customers whose phone field
 * changed (or who are new) get their numbers rewritten; rows of customers gone are removed.
 */
export async function syncCustomerPhones(db: Kysely<Tables>, defaultCallingCode: string): Promise<PhoneSyncResult> {
  const customers = await db.selectFrom('clientes').select(['id', 'telefono']).execute();
  const indexed = await db.selectFrom('clientes_telefonos').select(['cliente_id', 'telefono_origen']).distinct().execute();
  const known = new Map(indexed.map((r) => [r.cliente_id, r.telefono_origen]));
  const current = new Set(customers.map((c) => c.id));

  const changed = customers.filter((c) => known.get(c.id) !== c.telefono && phonesOf(c.telefono ?? '', defaultCallingCode).length > 0);
  const cleared = customers.filter((c) => known.has(c.id) && phonesOf(c.telefono ?? '', defaultCallingCode).length === 0).map((c) => c.id);
  const removed = [...known.keys()].filter((id) => !current.has(id));

  await db.transaction().execute(async (trx) => {
    const stale = [...changed.map((c) => c.id), ...cleared, ...removed];
    for (let i = 0; i < stale.length; i += 1000) {
      await trx
        .deleteFrom('clientes_telefonos')
        .where('cliente_id', 'in', stale.slice(i, i + 1000))
        .execute();
    }
    const rows = changed.flatMap((c) =>
      phonesOf(c.telefono, defaultCallingCode).map((telefono) => ({
        cliente_id: c.id,
        telefono,
        telefono_origen: c.telefono.slice(0, 100),
      })),
    );
    for (let i = 0; i < rows.length; i += 1000)
      await trx
        .insertInto('clientes_telefonos')
        .values(rows.slice(i, i + 1000))
        .execute();
  });
  return { customers: customers.length, changed: changed.length, removed: removed.length + cleared.length };
}
