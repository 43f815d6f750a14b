import type { Command } from 'commander';
import { loadConfig } from '../config/config.js';
import { describeDatabase } from '../config/database-url.js';
import { openDatabase } from '../db/database.js';
import { Migrator } from '../migrations/engine/migrator.js';
import { RevisionGraph } from '../migrations/engine/revision-graph.js';
import { revisions } from '../migrations/revisions/index.js';
import type { CliOutput } from './cli-output.js';

/** `charla start`: everything in one process. For now: bring the database to head and say what was done. */
export function registerStartCommand(program: Command, out: CliOutput): void {
  program
    .command('start')
    .description('run Charla (for now: migrate the database to head)')
    .action(async () => {
      const config = loadConfig();
      const database = await openDatabase(config.database, { poolSize: 2 });
      try {
        out.result(`Database: ${describeDatabase(config.database)}`);
        const migrator = new Migrator(new RevisionGraph(revisions), database, out.info);
        const steps = await migrator.upgrade('heads');
        for (const step of steps) out.result(`Applied ${step.revision.revision}: ${step.revision.description}`);
        const heads = await migrator.currentHeads();
        out.result(steps.length === 0 ? `Already at ${heads.join(', ')} (head); nothing to do.` : `Now at ${heads.join(', ')} (head).`);
      } finally {
        await database.close();
      }
    });
}
