import type { Kysely } from 'kysely';
import { customerFinances } from '../crm/customer-finance.repository.js';
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
