import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import { loadConfig } from '../config/config.js';
import { describeDatabase } from '../config/database-url.js';
import { openDatabase } from '../db/database.js';
import { Migrator } from '../migrations/engine/migrator.js';
import { RevisionGraph } from '../migrations/engine/revision-graph.js';
import { revisions } from '../migrations/revisions/index.js';
import type { CliOutput } from './cli-output.js';
import { loadDemo, printDemo } from './demo.command.js';
import { runServer } from './serve.command.js';

/** `charla start`: everything in one process: migrate to head, then serve, with the bot worker and sender. */
export function registerStartCommand(program: Command, out: CliOutput): void {
  program
    .command('start')
    .description('run Charla in one process: migrate the database to head, then serve')
    .action(async () => {
      const config = loadConfig();
      const database = await openDatabase(config.database);
      try {
        out.result(`Database: ${describeDatabase(config.database)}`);
        const migrator = new Migrator(new RevisionGraph(revisions), database, out.info);
        const steps = await migrator.upgrade('heads');
        for (const step of steps) out.result(`Applied ${step.revision.revision}: ${step.revision.description}`);
        const heads = await migrator.currentHeads();
        out.result(steps.length === 0 ? `Already at ${heads.join(', ')} (head); nothing to do.` : `Now at ${heads.join(', ')} (head).`);
        // The embedded database is for trying Charla: a fresh one gets the demo customers.
        if (config.database.kind === 'pglite') {
          const demo = await loadDemo(database, config.timezone, config.defaultCountryCode);
          if (demo) printDemo(out, demo);
        }
      } catch (error) {
        await database.close();
        throw error;
      }
      if (!config.graph.accessToken && !config.whatsapp.appSecret) {
        // The sandbox signs the statuses it posts back; one secret for this process is enough.
        config.whatsapp.appSecret = randomBytes(24).toString('hex');
      }
      await runServer(config, database, out, { workers: true });
    });
}
