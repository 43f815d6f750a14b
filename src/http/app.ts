import Fastify, { LogController, type FastifyInstance } from 'fastify';
import type { Config } from '../config/config.js';
import type { Database } from '../db/database.js';
import { IngestService } from '../webhook/ingest.service.js';
import { WEBHOOK_BODY_LIMIT, webhookRoutes } from '../webhook/webhook.routes.js';
import { installErrorHandler } from './error-handler.js';
import { healthRoutes } from './health.routes.js';
import { loggerOptions } from './logger.js';

export interface AppDependencies {
  config: Config;
  database: Database;
  /** Overrides for tests and benchmarks. */
  ingest?: IngestService;
  logger?: boolean;
}

/** The HTTP application, built without listening (tests use `inject()`). */
export async function buildApp(dependencies: AppDependencies): Promise<FastifyInstance> {
  const { config, database } = dependencies;
  const app = Fastify({
    logger: dependencies.logger === false ? false : loggerOptions(config.logLevel),
    bodyLimit: WEBHOOK_BODY_LIMIT,
    // One line per request is too many at webhook rates; debug and trace still log them.
    logController: new LogController({ disableRequestLogging: config.logLevel !== 'debug' && config.logLevel !== 'trace' }),
  });
  installErrorHandler(app);
  const ingest = dependencies.ingest ?? new IngestService(database, { defaultCallingCode: config.defaultCountryCode });
  await app.register(healthRoutes, { database });
  await app.register(webhookRoutes, { config, ingest });
  return app;
}
