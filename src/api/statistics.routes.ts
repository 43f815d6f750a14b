import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Config } from '../config/config.js';
import type { Database } from '../db/database.js';
import { SIGNED_IN } from '../http/authentication.js';
import { inboxStatistics } from './inbox-statistics.service.js';
import { estadisticasQuery, estadisticasRespuesta } from './statistics.schemas.js';

/** The front end imports the shapes from statistics.schemas.ts (zod only); they are the route's too. */
export { estadisticasQuery, estadisticasRespuesta, type EstadisticasRespuesta } from './statistics.schemas.js';

/** The inbox's statistics page: per-day series over the last 7, 30 or 90 days of the lender's calendar. */
export async function statisticsRoutes(app: FastifyInstance, options: { config: Config; database: Database }): Promise<void> {
  const { config, database } = options;
  const api = app.withTypeProvider<ZodTypeProvider>();
  api.addHook('onRequest', app.requireSignIn);

  api.get(
    '/api/v1/estadisticas',
    {
      schema: {
        tags: ['estadisticas'],
        security: SIGNED_IN,
        summary:
          'Per-day series for the statistics page: messages, bot and agent replies, handoffs, first response, unidentified senders, failures',
        querystring: estadisticasQuery,
        response: { 200: estadisticasRespuesta },
      },
    },
    async (request) => inboxStatistics(database, config.timezone, Number(request.query.dias)),
  );
}
