import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import { loadConfig } from '../config/config.js';
import { describeDatabase } from '../config/database-url.js';
import { createAgent } from '../auth/auth.repository.js';
import { openDatabase, type Database } from '../db/database.js';
import { Migrator } from '../migrations/engine/migrator.js';
import { RevisionGraph } from '../migrations/engine/revision-graph.js';
import { revisions } from '../migrations/revisions/index.js';
import type { CliOutput } from './cli-output.js';
import { generatedPassword } from './agents.command.js';
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
          const admin = await firstAdmin(database);
          if (admin) {
            out.result(
              `Sign in as ${admin.email} with the password ${admin.password} (shown only now; change it or add agents with \`charla agents add\`).`,
            );
          }
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

/** A fresh embedded database gets an admin, so that the API and inbox can be tried at once. */
async function firstAdmin(database: Database): Promise<{ email: string; password: string } | null> {
  const any = await database.kysely.selectFrom('charla_agentes').select('id').limit(1).executeTakeFirst();
  if (any) return null;
  const admin = { email: 'admin@charla.local', password: generatedPassword() };
  await createAgent(database.kysely, database.support, { ...admin, nombre: 'Administrador', rol: 'admin' });
  return admin;
}
