import type { Command } from 'commander';
import { loadConfig } from '../config/config.js';
import { describeDatabase } from '../config/database-url.js';
import { openDatabase } from '../db/database.js';
import { migrator, run, type FirstAdmin } from '../runtime/runtime.js';
import { prepareForTrying } from '../runtime/try-out.js';
import type { CliOutput } from './cli-output.js';

/** `charla start`: everything in one process: migrate to head, then serve, with the bot worker and sender. */
export function registerStartCommand(program: Command, out: CliOutput): void {
  program
    .command('start')
    .description('run Charla in one process: migrate the database to head, then serve')
    .action(async () => {
      const config = loadConfig();
      const database = await openDatabase(config.database);
      let firstAdmin: FirstAdmin | null;
      try {
        out.result(`Database: ${describeDatabase(config.database)}`);
        const migrations = migrator(database, out.info);
        const steps = await migrations.upgrade('heads');
        for (const step of steps) out.result(`Applied ${step.revision.revision}: ${step.revision.description}`);
        const heads = await migrations.currentHeads();
        out.result(steps.length === 0 ? `Already at ${heads.join(', ')} (head); nothing to do.` : `Now at ${heads.join(', ')} (head).`);
        firstAdmin = await prepareForTrying(config, database, out.result);
      } catch (error) {
        await database.close();
        throw error;
      }
      await run(config, database, { http: true, workers: true }, out.result, firstAdmin);
    });
}
