import type { Insertable } from 'kysely';
import { syncCustomerPhones } from '../../src/customers/customer-phone.repository.js';
import type { Database } from '../../src/db/database.js';
import type { ClientesTable, CuotasTable, PagosTable, PrestamosTable } from '../../src/db/tables.js';

/**
 * Customers in the lender's CRM tables (clientes, prestamos, cuotas, pagos), as the tests need
 * them. Ana is the usual one; each test says what it changes.
 */

/** A clientes row: Ana María Pérez (id 7) unless overridden. */
export function cliente(overrides: Partial<Insertable<ClientesTable>> = {}): Insertable<ClientesTable> {
  return {
    id: 7,
    cedula: 'V-12345678',
    nombres: 'Ana María Pérez',
    telefono: '0412-1234567',
    email: 'ana@example.com',
    direccion: 'Caracas',
    fecha_nacimiento: '1985-03-04',
    ocupacion: 'Docente',
    ...overrides,
  };
}

/** An instalment of a loan: number, due date, amount, amount paid and state (the loan's id is added). */
export type Cuota = Omit<Insertable<CuotasTable>, 'prestamo_id'>;

/** A loan with its instalments; the customer's id is added. */
export type Prestamo = Omit<Insertable<PrestamosTable>, 'cliente_id'> & { id: number; cuotas?: Cuota[] };

/** A loan of the usual kind: an approved personal credit. */
export function prestamo(overrides: Partial<Prestamo> & { id: number }): Prestamo {
  return { producto: 'Crédito personal', estado: 'APROBADO', ...overrides };
}

/** Instalment `numero_cuota` due on `fecha_vencimiento`: `monto_cuota`, `total_pagado` of it so far, `estado`. */
export function cuota(numero_cuota: number, fecha_vencimiento: string, monto_cuota: string, total_pagado: string, estado: string): Cuota {
  return { numero_cuota, fecha_vencimiento, monto_cuota, total_pagado, estado };
}

export interface CustomerSeed {
  /** The clientes row's values other than Ana's (see cliente()). */
  cliente?: Partial<Insertable<ClientesTable>>;
  prestamos?: Prestamo[];
  pagos?: Omit<Insertable<PagosTable>, 'cliente_id'>[];
}

/**
 * Inserts a customer with their loans, instalments and payments, then (unless `syncPhones` is
 * false) indexes their phone numbers as `charla serve` does, so that messages from them are
 * identified. Returns the customer's id.
 */
export async function seedCustomer(database: Database, seed: CustomerSeed = {}, options: { syncPhones?: boolean } = {}): Promise<number> {
  const row = cliente(seed.cliente);
  const id = row.id as number;
  const db = database.kysely;
  await db.insertInto('clientes').values(row).execute();
  for (const { cuotas = [], ...loan } of seed.prestamos ?? []) {
    await db
      .insertInto('prestamos')
      .values({ ...loan, cliente_id: id })
      .execute();
    if (cuotas.length > 0) {
      await db
        .insertInto('cuotas')
        .values(cuotas.map((c) => ({ ...c, prestamo_id: loan.id })))
        .execute();
    }
  }
  if (seed.pagos?.length) {
    await db
      .insertInto('pagos')
      .values(seed.pagos.map((p) => ({ ...p, cliente_id: id })))
      .execute();
  }
  if (options.syncPhones !== false) await syncCustomerPhones(db, '58');
  return id;
}

/** Several customers without loans (clientes rows: Ana's values but for the overrides), phones indexed unless said. */
export async function seedCustomers(
  database: Database,
  overrides: Partial<Insertable<ClientesTable>>[],
  options: { syncPhones?: boolean } = {},
): Promise<void> {
  await database.kysely
    .insertInto('clientes')
    .values(overrides.map((o) => cliente(o)))
    .execute();
  if (options.syncPhones !== false) await syncCustomerPhones(database.kysely, '58');
}
