import { todayIn } from '../config/config.js';
import { syncCustomerPhones } from '../customers/customer-phone.repository.js';
import type { Database } from '../db/database.js';
import { loadDemoData, type DemoCustomer } from './demo-data.js';

/** Loads the demo customers into an empty CRM and indexes their phones; null when `clientes` has rows. */
export async function loadDemo(database: Database, timezone: string, defaultCountryCode: string): Promise<DemoCustomer[] | null> {
  const loaded = await loadDemoData(database.kysely, database.support, todayIn(timezone));
  if (loaded) await syncCustomerPhones(database.kysely, defaultCountryCode);
  return loaded;
}

/** How to try the demo as a customer, for the operator. */
export function describeDemo(customers: DemoCustomer[]): string[] {
  return [
    `Demo data loaded: ${customers.length} customers with loans, instalments and payments. To try as a customer:`,
    ...customers
      .slice(0, 4)
      .map(
        (c) =>
          `  ${c.nombres.padEnd(36)} WhatsApp ${c.whatsapp}  cédula ${c.cedula}  nacimiento ${c.fecha_nacimiento}  (CRM phone "${c.telefono}")`,
      ),
  ];
}
