import type { Command } from 'commander';
import { loadConfig } from '../config/config.js';
import { openDatabase } from '../db/database.js';
import { describeDemo, loadDemo } from '../demo/demo.service.js';
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
        else for (const line of describeDemo(loaded)) out.result(line);
      } finally {
        await database.close();
      }
    });
}
