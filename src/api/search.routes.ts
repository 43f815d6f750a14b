import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Config } from '../config/config.js';
import type { Database } from '../db/database.js';
import { SIGNED_IN } from '../http/authentication.js';
import { searchQuerySchema, searchResultSchema } from './search.schemas.js';
import { search } from './search.service.js';

export { searchResultSchema } from './search.schemas.js';

/** The inbox's search box (docs/api.md, "Search"). */
export async function searchRoutes(app: FastifyInstance, options: { config: Config; database: Database }): Promise<void> {
  const { config, database } = options;
  const api = app.withTypeProvider<ZodTypeProvider>();
  api.addHook('onRequest', app.requireSignIn);

  api.get(
    '/api/v1/buscar',
    {
      schema: {
        tags: ['buscar'],
        security: SIGNED_IN,
        summary: 'Conversations by customer name, cédula or phone; messages by the words of their text',
        querystring: searchQuerySchema,
        response: { 200: searchResultSchema },
      },
    },
    async (request) => search(database, request.query.q, request.query.limite, config.defaultCountryCode),
  );
}
