import type { FastifyInstance } from 'fastify';
import type { Database } from '../db/database.js';
import { errorCatalogue } from '../errors/error-catalogue.js';

/** `/healthz`: the process answers. `/readyz`: and its database does too. */
export async function healthRoutes(app: FastifyInstance, options: { database: Database }): Promise<void> {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (request, reply) => {
    try {
      await options.database.ping();
      return { status: 'ready' };
    } catch (error) {
      request.log.warn({ err: error }, 'database not reachable');
      return reply.status(503).send({
        status: 'unavailable',
        error: { code: 'DATABASE_UNAVAILABLE', message: 'The database does not answer.' },
        detail: errorCatalogue.DATABASE_UNAVAILABLE.detalle,
      });
    }
  });
}
