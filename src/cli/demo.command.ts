import type { Command } from 'commander';
import { loadConfig, todayIn } from '../config/config.js';
import { syncCustomerPhones } from '../customers/customer-phone.repository.js';
import { openDatabase, type Database } from '../db/database.js';
import { loadDemoData, type DemoCustomer } from '../demo/demo-data.js';
import type { CliOutput } from './cli-output.js';

/** `charla demo`: fills empty CRM tables with demo customers, loans, instalments and payments. */
export function registerDemoCommand(program: Command, out: CliOutput): void {
  program
    .command('demo')
    .description('load demo customers, loans and payments into empty CRM tables (the database must be at head)')
    .action(async () => {
      const config = loadConfig();
      const database = await openDatabase(config.database);
      try {
        const loaded = await loadDemo(database, config.timezone, config.defaultCountryCode);
        if (!loaded) out.result('clientes already has rows: demo data not loaded (it only goes into an empty CRM).');
        else printDemo(out, loaded);
      } finally {
        await database.close();
      }
    });
}

export async function loadDemo(database: Database, timezone: string, defaultCountryCode: string): Promise<DemoCustomer[] | null> {
  const loaded = await loadDemoData(database.kysely, database.support, todayIn(timezone));
  if (loaded) await syncCustomerPhones(database.kysely, defaultCountryCode);
  return loaded;
}

export function printDemo(out: CliOutput, customers: DemoCustomer[]): void {
  out.result(`Demo data loaded: ${customers.length} customers with loans, instalments and payments. To try as a customer:`);
  for (const c of customers.slice(0, 4)) {
    out.result(
      `  ${c.nombres.padEnd(36)} WhatsApp ${c.whatsapp}  cédula ${c.cedula}  nacimiento ${c.fecha_nacimiento}  (CRM phone "${c.telefono}")`,
    );
  }
}
