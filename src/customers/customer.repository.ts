import type { Kysely } from 'kysely';
import type { Tables } from '../db/tables.js';

/** Who a customer is, as the bot needs it to greet and verify them. */
export interface CustomerIdentity {
  id: number;
  nombres: string;
  fecha_nacimiento: string;
}

const IDENTITY = ['id', 'nombres', 'fecha_nacimiento'] as const;

/** The ways a cédula is written in `clientes.cedula`, so that the lookup goes through its index. */
export function cedulaVariants(digits: string): string[] {
  const dotted = digits.replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  const bodies = [digits, dotted];
  const prefixed = ['V', 'E'].flatMap((letter) =>
    bodies.flatMap((body) => [`${letter}-${body}`, `${letter}${body}`, `${letter} ${body}`, `${letter}.${body}`]),
  );
  return [...new Set([...bodies, ...prefixed, ...prefixed.map((p) => p.toLowerCase())])];
}

export async function customerById(db: Kysely<Tables>, id: number): Promise<CustomerIdentity | null> {
  return (await db.selectFrom('clientes').select(IDENTITY).where('id', '=', id).executeTakeFirst()) ?? null;
}

/** Customers whose cédula has these digits, however it was written in the CRM. */
export async function customersByCedula(db: Kysely<Tables>, digits: string): Promise<CustomerIdentity[]> {
  return db.selectFrom('clientes').select(IDENTITY).where('cedula', 'in', cedulaVariants(digits)).execute();
}

export async function customersByIds(db: Kysely<Tables>, ids: readonly number[]): Promise<Map<number, CustomerIdentity>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('clientes').select(IDENTITY).where('id', 'in', ids).execute();
  return new Map(rows.map((c) => [c.id, c] as const));
}
