import { randomBytes } from 'node:crypto';
import closeWithGrace from 'close-with-grace';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { Config } from '../config/config.js';
import { describeDatabase } from '../config/database-url.js';
import { syncCustomerPhones } from '../customers/customer-phone.repository.js';
import { openDatabase, type Database } from '../db/database.js';
import { CharlaError } from '../errors/charla-error.js';
import { buildApp, WEBHOOK_PATH } from '../http/app.js';
import { createLogger } from '../logging/logger.js';
import { Migrator } from '../migrations/engine/migrator.js';
import { RevisionGraph } from '../migrations/engine/revision-graph.js';
import { revisions } from '../migrations/revisions/index.js';
import { IngestService } from '../webhook/ingest.service.js';
import { Wakeup } from '../worker/wakeup.js';
import { prepareBot, startWorkers } from './workers.js';

/**
 * What one Charla process runs: `charla start` and `charla serve` run the HTTP service (webhook,
 * API), `start` and `worker` the bot worker and reply sender. Everything a process starts and stops
 * is here; the CLI commands only choose the roles.
 */
export interface Roles {
  http: boolean;
  workers: boolean;
}

/** The admin made for trying (src/runtime/try-out.ts), whose password the start banner shows once. */
export interface FirstAdmin {
  email: string;
  password: string;
}

/** Where the runtime reports to the operator (the CLI's stdout). */
export type Announce = (line: string) => void;

/** How often `clientes_telefonos` is brought in step with `clientes.telefono`. */
const PHONE_SYNC_INTERVAL_MS = 60_000;

/** How long a stop may take (requests in flight, the workers' current round) before the process exits anyway. */
const SHUTDOWN_GRACE_MS = 10_000;

/** The migrations this build of Charla knows. */
export function migrator(database: Database, log?: (line: string) => void): Migrator {
  return new Migrator(new RevisionGraph(revisions), database, log);
}

/**
 * Opens the configured database and checks that its `alembic_version` names this build's heads:
 * serving on an older or newer schema would fail later, request by request.
 */
export async function openAtHead(config: Config): Promise<Database> {
  const database = await openDatabase(config.database);
  try {
    const { atHead, heads } = await migrator(database).atHead();
    if (!atHead) {
      throw new CharlaError(
        'MIGRATION_TARGET_INVALID',
        `The database is at ${heads.join(', ') || 'base'}, not at head: run 'charla db upgrade head' first (or 'charla start').`,
      );
    }
    return database;
  } catch (error) {
    await database.close();
    throw error;
  }
}

/**
 * Runs the roles on an open database until SIGINT/SIGTERM (or a crash), then stops in order: the
 * workers finish their round, requests in flight are answered, the database is closed; the process
 * exits 0 (1 after a crash or a stop that outlasts the grace period). Resolves once running; the
 * signals are handled from the start, so one that arrives while starting stops what has started.
 */
export async function run(
  config: Config,
  database: Database,
  roles: Roles,
  announce: Announce,
  /** `charla start` on a fresh embedded database: the admin the banner shows how to sign in as. */
  firstAdmin: FirstAdmin | null = null,
): Promise<void> {
  const log = createLogger(config.logLevel);
  const starting = startRoles(withSandboxSecret(config, roles), database, roles, announce, log);
  const shutdown = closeWithGrace({ delay: SHUTDOWN_GRACE_MS, logger: log }, async ({ signal, err }) => {
    if (err) log.error({ err }, 'stopping after an unexpected error');
    else announce(`${signal ?? 'Stop'} received: finishing requests in flight, then stopping.`);
    const running = await starting.catch(() => undefined);
    await running?.stop();
  });
  try {
    const running = await starting;
    if (running.baseUrl) for (const line of banner(running.baseUrl, running.sandbox, firstAdmin)) announce(line);
  } catch (error) {
    // Nothing runs: the CLI reports the failure and the process ends with its exit code.
    shutdown.uninstall();
    await database.close().catch(() => undefined);
    throw error;
  }
}

interface Running {
  stop(): Promise<void>;
  /** Where the HTTP role listens (none without it). */
  baseUrl: string | null;
  /** Replies go to the simulated Graph API: the customer simulator is there to try the bot. */
  sandbox: boolean;
}

/** The last lines `charla start` and `charla serve` print: where to go, and how to sign in. */
export function banner(baseUrl: string, sandbox: boolean, firstAdmin: FirstAdmin | null): string[] {
  const rule = '─'.repeat(72);
  return [
    rule,
    `  Inbox:      ${baseUrl}/`,
    ...(sandbox ? [`  Simulator:  ${baseUrl}/simulador   (write as a customer; sandbox mode only)`] : []),
    firstAdmin
      ? `  Sign in:    ${firstAdmin.email} / ${firstAdmin.password}   (shown only now; add agents in the inbox or with \`charla agents add\`)`
      : '  Sign in:    with an agent account (`charla agents list`; add one with `charla agents add`)',
    rule,
  ];
}

/**
 * In sandbox mode the simulated Graph API signs the statuses it posts back to the webhook. When one
 * process runs both and no WHATSAPP_APP_SECRET is set, a secret for this process alone does: the
 * configuration is copied, never changed.
 */
function withSandboxSecret(config: Config, roles: Roles): Config {
  if (!roles.http || !roles.workers || config.graph.accessToken || config.whatsapp.appSecret) return config;
  return { ...config, whatsapp: { ...config.whatsapp, appSecret: randomBytes(24).toString('hex') } };
}

/** Starts the roles; what has started is stopped again when a later step fails. */
async function startRoles(
  config: Config,
  database: Database,
  roles: Roles,
  announce: Announce,
  /** For the workers when there is no HTTP role (whose app has its own). */
  processLog: FastifyBaseLogger,
): Promise<Running> {
  const started: (() => Promise<void> | void)[] = [];
  let baseUrl: string | null = null;
  let sandbox = false;
  const stop = async (): Promise<void> => {
    try {
      // Last started, first stopped: the workers' round, then requests in flight, then the phone sync.
      for (const step of started.reverse()) await step();
    } finally {
      await database.close();
    }
  };
  try {
    // Before the port opens: a wrong BOT_TEXTS_FILE stops the start, and no message waits for training.
    const bot = roles.workers ? prepareBot(config) : undefined;
    if (bot) processLog.info({ ms: bot.ms, source: bot.source }, "the bot's understanding is ready");
    const inbound = new Wakeup();
    let log: FastifyBaseLogger | undefined;
    let webhookUrl = `${config.http.publicUrl ?? `http://127.0.0.1:${config.http.port}`}${WEBHOOK_PATH}`;
    if (roles.http) {
      const ingest = new IngestService(database, {
        defaultCallingCode: config.defaultCountryCode,
        ...(roles.workers ? { onMessagesStored: () => inbound.notify() } : {}),
      });
      const app = await buildApp({ config, database, ingest });
      started.push(await keepPhoneIndexInStep(config, database, app.log));
      started.push(() => app.close());
      const port = await listen(app, config.http);
      announce(`Charla is listening on http://${config.http.host}:${port} (${describeDatabase(config.database)})`);
      baseUrl =
        config.http.publicUrl?.replace(/\/+$/, '') ?? `http://${config.http.host === '0.0.0.0' ? '127.0.0.1' : config.http.host}:${port}`;
      if (!config.whatsapp.appSecret) announce('WHATSAPP_APP_SECRET is not set: webhook deliveries are refused until it is.');
      webhookUrl = `http://127.0.0.1:${port}${WEBHOOK_PATH}`;
      log = app.log;
    }
    if (roles.workers) {
      const workers = await startWorkers(config, database, log ?? processLog, webhookUrl, { inbound, ...(bot ? { bot } : {}) });
      started.push(() => workers.stop());
      if (!roles.http) announce(`Charla worker running (${process.pid}).`);
      if (workers.sandbox) announceSandbox(announce, workers.sandbox.url);
      sandbox = workers.sandbox !== undefined;
    }
  } catch (error) {
    // Undo what has started, so that the process ends at once; `run` closes the database.
    for (const step of started.reverse()) await Promise.resolve(step()).catch(() => undefined);
    throw error;
  }
  return { stop, baseUrl, sandbox };
}

function announceSandbox(announce: Announce, url: string): void {
  announce(
    `SANDBOX: no WHATSAPP_ACCESS_TOKEN, so replies go to a simulated Graph API at ${url}, not to WhatsApp. ` +
      'It answers with wamids and posts sent/delivered/read statuses back through the signed webhook.',
  );
}

/** Brings the phone index in step now and every minute; a failure keeps the previous index. */
async function keepPhoneIndexInStep(config: Config, database: Database, log: FastifyBaseLogger): Promise<() => void> {
  const sync = async (): Promise<void> => {
    try {
      const result = await syncCustomerPhones(database.kysely, config.defaultCountryCode);
      if (result.changed + result.removed > 0) log.info(result, 'customer phone index updated');
    } catch (error) {
      log.error({ err: error }, 'customer phone index update failed; identification uses the previous index');
    }
  };
  await sync();
  const timer = setInterval(() => void sync(), PHONE_SYNC_INTERVAL_MS);
  timer.unref();
  return () => clearInterval(timer);
}

/** Listens and answers the port in use (PORT=0 picks a free one); a failure in the operator's terms. */
async function listen(app: FastifyInstance, http: { host: string; port: number }): Promise<number> {
  try {
    await app.listen({ port: http.port, host: http.host });
  } catch (error) {
    throw listenFailure(error, http);
  }
  const address = app.server.address();
  return typeof address === 'object' && address ? address.port : http.port;
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
