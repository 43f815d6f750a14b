import type { Kysely } from 'kysely';
import { customerFinances, financesOf } from '../crm/customer-finance.repository.js';
import { customerById, customersByCedula, customersByIds } from '../customers/customer.repository.js';
import type { Tables } from '../db/tables.js';
import type { BotData } from './bot.service.js';

/** BotData over the CRM tables; `today` is the lender's calendar date (`YYYY-MM-DD`). */
export function crmBotData(db: Kysely<Tables>, today: () => string): BotData {
  return {
    customer: (id) => customerById(db, id),
    customersByCedula: (digits) => customersByCedula(db, digits),
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
  const customers = await customersByIds(db, ids);
  const finances = await financesOf(db, ids, today());
  return {
    customer: async (id) => customers.get(id) ?? live.customer(id),
    customersByCedula: (digits) => live.customersByCedula(digits),
    finances: async (id) => finances.get(id) ?? live.finances(id),
  };
}
