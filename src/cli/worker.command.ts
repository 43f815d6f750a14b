import type { Command } from 'commander';
import pino from 'pino';
import { loadConfig } from '../config/config.js';
import { openDatabase } from '../db/database.js';
import { CharlaError } from '../errors/charla-error.js';
import { loggerOptions } from '../logging/logger.js';
import { Migrator } from '../migrations/engine/migrator.js';
import { RevisionGraph } from '../migrations/engine/revision-graph.js';
import { revisions } from '../migrations/revisions/index.js';
import { WEBHOOK_PATH } from '../webhook/webhook.routes.js';
import { startWorkers } from '../worker/worker-runtime.js';
import type { CliOutput } from './cli-output.js';
import { announceSandbox } from './serve.command.js';

/** `charla worker`: the bot worker and the reply sender, as many processes as needed. */
export function registerWorkerCommand(program: Command, out: CliOutput): void {
  program
    .command('worker')
    .description('answer inbound messages and send replies (any number of workers can run side by side)')
    .action(async () => {
      const config = loadConfig();
      const database = await openDatabase(config.database);
      const { atHead, heads } = await new Migrator(new RevisionGraph(revisions), database).check();
      if (!atHead) {
        await database.close();
        throw new CharlaError(
          'MIGRATION_TARGET_INVALID',
          `The database is at ${heads.join(', ') || 'base'}, not at head: run 'charla db upgrade head' first.`,
        );
      }
      const log = pino(loggerOptions(config.logLevel));
      const webhookUrl = `${config.http.publicUrl ?? `http://127.0.0.1:${config.http.port}`}${WEBHOOK_PATH}`;
      const workers = await startWorkers(config, database, log, webhookUrl);
      out.result(`Charla worker running (${process.pid}).`);
      if (workers.sandbox) announceSandbox(out, workers.sandbox.url);
      await new Promise<void>((resolve) => {
        const stop = (): void => {
          void workers
            .stop()
            .finally(() => database.close())
            .finally(resolve);
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}
