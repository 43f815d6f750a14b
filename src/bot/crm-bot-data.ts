import type { Kysely } from 'kysely';
import { customerFinances, financesOf, type CustomerFinances } from '../crm/customer-finance.repository.js';
import type { Tables } from '../db/tables.js';
import type { BotData, Customer } from './bot.service.js';

/** The ways a cédula is written in `clientes.cedula`, so that the lookup goes through its index. */
export function cedulaVariants(digits: string): string[] {
  const dotted = digits.replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  const bodies = [digits, dotted];
  const prefixed = ['V', 'E'].flatMap((letter) =>
    bodies.flatMap((body) => [`${letter}-${body}`, `${letter}${body}`, `${letter} ${body}`, `${letter}.${body}`]),
  );
  return [...new Set([...bodies, ...prefixed, ...prefixed.map((p) => p.toLowerCase())])];
}

/** BotData over the CRM tables; `today` is the lender's calendar date (`YYYY-MM-DD`). */
export function crmBotData(db: Kysely<Tables>, today: () => string): BotData {
  const columns = ['id', 'nombres', 'fecha_nacimiento'] as const;
  return {
    async customer(id): Promise<Customer | null> {
      return (await db.selectFrom('clientes').select(columns).where('id', '=', id).executeTakeFirst()) ?? null;
    },
    async customersByCedula(digits): Promise<Customer[]> {
      return db.selectFrom('clientes').select(columns).where('cedula', 'in', cedulaVariants(digits)).execute();
    },
    finances: (clienteId) => customerFinances(db, clienteId, today()),
  };
}

/**
 * BotData for a group of customers answered together: their names and positions read up front in
 * four queries instead of four per message; anyone else (a customer being verified) is read live.
 */
export async function prefetchedBotData(db: Kysely<Tables>, today: () => string, clienteIds: readonly number[]): Promise<BotData> {
  const live = crmBotData(db, today);
  const ids = [...new Set(clienteIds)];
  if (ids.length === 0) return live;
  const columns = ['id', 'nombres', 'fecha_nacimiento'] as const;
  const customers = new Map(
    (await db.selectFrom('clientes').select(columns).where('id', 'in', ids).execute()).map((c) => [c.id, c] as const),
  );
  const finances: Map<number, CustomerFinances> = await financesOf(db, ids, today());
  return {
    customer: async (id) => (customers.has(id) ? (customers.get(id) as Customer) : live.customer(id)),
    customersByCedula: (digits) => live.customersByCedula(digits),
    finances: async (id) => finances.get(id) ?? live.finances(id),
  };
}
