import type { Command } from 'commander';
import { loadConfig, type Config } from '../config/config.js';
import { describeDatabase } from '../config/database-url.js';
import { syncCustomerPhones } from '../customers/customer-phone.repository.js';
import { openDatabase, type Database } from '../db/database.js';
import { CharlaError } from '../errors/charla-error.js';
import { buildApp } from '../http/app.js';
import { Migrator } from '../migrations/engine/migrator.js';
import { RevisionGraph } from '../migrations/engine/revision-graph.js';
import { revisions } from '../migrations/revisions/index.js';
import { IngestService } from '../webhook/ingest.service.js';
import { WEBHOOK_PATH } from '../webhook/webhook.routes.js';
import { Wakeup } from '../worker/wakeup.js';
import { startWorkers } from '../worker/worker-runtime.js';
import type { CliOutput } from './cli-output.js';

export function announceSandbox(out: CliOutput, url: string): void {
  out.result(
    `SANDBOX: no WHATSAPP_ACCESS_TOKEN, so replies go to a simulated Graph API at ${url}, not to WhatsApp. ` +
      'It answers with wamids and posts sent/delivered/read statuses back through the signed webhook.',
  );
}

/** How often `clientes_telefonos` is brought in step with `clientes.telefono`. */
const PHONE_SYNC_INTERVAL_MS = 60_000;

/** `charla serve`: the HTTP service alone, on a database already at head. */
export function registerServeCommand(program: Command, out: CliOutput): void {
  program
    .command('serve')
    .description('run the HTTP service (webhook, API); the database must be at head')
    .action(async () => {
      const config = loadConfig();
      const database = await openDatabase(config.database);
      const migrator = new Migrator(new RevisionGraph(revisions), database);
      const { atHead, heads } = await migrator.check();
      if (!atHead) {
        await database.close();
        throw new CharlaError(
          'MIGRATION_TARGET_INVALID',
          `The database is at ${heads.join(', ') || 'base'}, not at head: run 'charla db upgrade head' first (or 'charla start').`,
        );
      }
      await runServer(config, database, out, { workers: false });
    });
}

/**
 * Listens until SIGINT/SIGTERM (with the bot worker and sender too when `workers`), then stops
 * the workers, finishes in-flight requests and closes the database.
 */
export async function runServer(config: Config, database: Database, out: CliOutput, options: { workers: boolean }): Promise<void> {
  const inbound = new Wakeup();
  const ingest = new IngestService(database, {
    defaultCallingCode: config.defaultCountryCode,
    ...(options.workers ? { onMessagesStored: () => inbound.notify() } : {}),
  });
  const app = await buildApp({ config, database, ingest });
  const sync = async (): Promise<void> => {
    try {
      const result = await syncCustomerPhones(database.kysely, config.defaultCountryCode);
      if (result.changed + result.removed > 0) app.log.info(result, 'customer phone index updated');
    } catch (error) {
      app.log.error({ err: error }, 'customer phone index update failed; identification uses the previous index');
    }
  };
  await sync();
  const timer = setInterval(() => void sync(), PHONE_SYNC_INTERVAL_MS);
  timer.unref();

  try {
    await app.listen({ port: config.http.port, host: config.http.host });
  } catch (error) {
    // Nothing else has started yet: undo what has, so that the process ends at once.
    clearInterval(timer);
    await app.close().catch(() => undefined);
    await database.close().catch(() => undefined);
    throw listenFailure(error, config.http);
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.http.port;
  out.result(`Charla is listening on http://${config.http.host}:${port} (${describeDatabase(config.database)})`);
  if (!config.whatsapp.appSecret) out.result('WHATSAPP_APP_SECRET is not set: webhook deliveries are refused until it is.');
  const workers = options.workers
    ? await startWorkers(config, database, app.log, `http://127.0.0.1:${port}${WEBHOOK_PATH}`, { inbound })
    : undefined;
  if (workers?.sandbox) announceSandbox(out, workers.sandbox.url);

  await new Promise<void>((resolve) => {
    const stop = (signal: string): void => {
      out.result(`${signal} received: finishing requests in flight, then stopping.`);
      clearInterval(timer);
      void Promise.resolve(workers?.stop())
        .then(() => app.close())
        .finally(() => database.close())
        .catch((error: unknown) => app.log.error({ err: error }, 'error while stopping'))
        .finally(resolve);
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
}

/** The operator's version of a failed `listen`: what is wrong and which variable to change. */
function listenFailure(error: unknown, http: { host: string; port: number }): unknown {
  const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
  const address = `${http.host}:${http.port}`;
  if (code === 'EADDRINUSE') {
    return new CharlaError('PORT_IN_USE', `Another program is listening on ${address} already; stop it or set PORT to a free port.`, {
      cause: error,
    });
  }
  if (code === 'EACCES') {
    return new CharlaError(
      'CONFIG_INVALID',
      `Not allowed to listen on ${address}: ports below 1024 need extra privileges; set PORT to 1024 or above.`,
      { cause: error },
    );
  }
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') {
    return new CharlaError(
      'CONFIG_INVALID',
      `Cannot listen on ${address}: HOST is not an address of this machine; set HOST (e.g. 127.0.0.1 or 0.0.0.0).`,
      { cause: error },
    );
  }
  return error;
}
