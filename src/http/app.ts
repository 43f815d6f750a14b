import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { conversationsRoutes } from '../api/conversations.routes.js';
import { customersRoutes } from '../api/customers.routes.js';
import { eventsRoutes } from '../api/events.routes.js';
import { inboxRoutes } from '../api/inbox.routes.js';
import { inboxViewsRoutes } from '../api/inbox-views.routes.js';
import { quarantineRoutes } from '../api/quarantine.routes.js';
import { searchRoutes } from '../api/search.routes.js';
import { templatesRoutes } from '../api/templates.routes.js';
import { statisticsRoutes } from '../api/statistics.routes.js';
import { simulatorRoutes } from '../api/simulator.routes.js';
import { authRoutes } from '../auth/auth.routes.js';
import { accessTokensOnce } from '../auth/auth.service.js';
import { createLoginLimiter, type LoginLimiter } from '../auth/login-limiter.js';
import type { Config } from '../config/config.js';
import type { Database } from '../db/database.js';
import { IngestService } from '../webhook/ingest.service.js';
import { WEBHOOK_BODY_LIMIT, WEBHOOK_PATH, webhookRoutes } from '../webhook/webhook.routes.js';
import { selfDelivery } from '../webhook/self-delivery.js';

/** Where Meta (and the sandbox) post notifications. */
export { WEBHOOK_PATH } from '../webhook/webhook.routes.js';
import { authentication } from './authentication.js';
import { installErrorHandler } from './error-handler.js';
import { healthRoutes } from './health.routes.js';
import { webRoutes } from './web.routes.js';
import { createLogger } from '../logging/logger.js';

export interface AppDependencies {
  config: Config;
  database: Database;
  /** Overrides for tests and benchmarks. */
  ingest?: IngestService;
  loginLimiter?: LoginLimiter;
  logger?: boolean;
}

/** The HTTP application, built without listening (tests use `inject()`). */
export async function buildApp(dependencies: AppDependencies): Promise<FastifyInstance> {
  const { config, database } = dependencies;
  const app = Fastify({
    // `logger: false` (tests) prints nothing; the suite's log capture still sees every line (createLogger).
    loggerInstance: createLogger(config.logLevel, { print: dependencies.logger !== false }),
    bodyLimit: WEBHOOK_BODY_LIMIT,
    // Behind N load balancers, the client's address (login limits, logs) is N hops back in X-Forwarded-For.
    ...(config.http.trustProxyHops > 0 ? { trustProxy: (_address: string, hop: number) => hop < config.http.trustProxyHops } : {}),
    // One line per request is too many at webhook rates; debug and trace still log them.
    logController: new LogController({ disableRequestLogging: config.logLevel !== 'debug' && config.logLevel !== 'trace' }),
  });
  installErrorHandler(app);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Charla API',
        version: '1',
        description:
          'Conversations of the WhatsApp channel (compatible with the original /api/v1/conversaciones-whatsapp), the inbox, sign-in.',
      },
      components: {
        securitySchemes: {
          bearer: {
            type: 'http',
            scheme: 'bearer',
            description:
              'A session or its JWT access token (POST /api/v1/auth/login), an API token (charla tokens create), or, with LEGACY_JWT_SECRET, an access token of the original backend.',
          },
          cookie: { type: 'apiKey', in: 'cookie', name: 'charla_sesion' },
        },
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(cookie);
  const accessTokens = accessTokensOnce(database.kysely, database.support, config.auth);
  await app.register(authentication, { database, publicUrl: config.http.publicUrl, accessTokens });
  const ingest = dependencies.ingest ?? new IngestService(database, { defaultCallingCode: config.defaultCountryCode });
  const loginLimiter = dependencies.loginLimiter ?? createLoginLimiter(database);
  await app.register(healthRoutes, { database });
  await app.register(webhookRoutes, { config, ingest });
  await app.register(authRoutes, { config, database, loginLimiter, accessTokens });
  await app.register(conversationsRoutes, { config, database });
  await app.register(inboxRoutes, { config, database });
  await app.register(inboxViewsRoutes, { config, database });
  await app.register(customersRoutes, { config, database });
  await app.register(searchRoutes, { config, database });
  await app.register(quarantineRoutes, { database });
  await app.register(templatesRoutes, { config, database });
  await app.register(statisticsRoutes, { config, database });
  await app.register(eventsRoutes, { config, database });
  // The customer simulator exists only in sandbox mode (no WHATSAPP_ACCESS_TOKEN); it posts through the signed webhook above.
  if (config.graph.accessToken === undefined) {
    await app.register(simulatorRoutes, { config, database, deliver: selfDelivery(app, WEBHOOK_PATH, config.whatsapp.appSecret) });
  }
  await app.register(webRoutes, { config });
  app.get('/api/v1/openapi.json', { schema: { hide: true } }, () => app.swagger());
  return app;
}
