import type { Command } from 'commander';
import { loadConfig } from '../config/config.js';
import { openDatabase } from '../db/database.js';
import { syncTemplates, templateSourceOf } from '../templates/templates-sync.service.js';
import type { CliOutput } from './cli-output.js';

/** `charla templates sync`: the business account's message templates into the registry. */
export function registerTemplatesCommand(program: Command, out: CliOutput): void {
  const templates = program
    .command('templates')
    .description('message templates approved by Meta (what may be sent outside the 24-hour window)');
  templates
    .command('sync')
    .description(
      "read the business account's templates from Meta (WHATSAPP_BUSINESS_ACCOUNT_ID) into the registry; without WHATSAPP_ACCESS_TOKEN, the sandbox's",
    )
    .action(async () => {
      const config = loadConfig();
      const source = templateSourceOf(config);
      const database = await openDatabase(config.database, { poolSize: 2 });
      try {
        const result = await syncTemplates(database, source);
        out.result(
          `Templates synced from ${result.origen === 'meta' ? 'Meta' : 'the sandbox (no WHATSAPP_ACCESS_TOKEN)'}: ${result.recibidas} listed, ${result.nuevas} new, ${result.actualizadas} updated, ${result.retiradas} no longer listed (marked DELETED).`,
        );
      } finally {
        await database.close();
      }
    });
}
