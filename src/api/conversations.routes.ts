import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Config } from '../config/config.js';
import { requirePhone } from '../customers/phone-number.js';
import type { Database } from '../db/database.js';
import { CharlaError } from '../errors/charla-error.js';
import { principalOf, SIGNED_IN } from '../http/authentication.js';
import { databaseId, MAX_DATABASE_ID } from '../validation/database-id.js';
import { storableText } from '../validation/storable-text.js';
import { sendAsAgent } from './agent-send.service.js';
import { lookUpNumber } from './customer-lookup.service.js';
import { decodeCursor, listMessages, messageById, threadOf, type Page } from './messages.repository.js';
import { readSenderFilter } from './sender-filter.js';
import { senderFilterService } from './sender-filter.service.js';
import { statisticsService } from './statistics.service.js';

/** A phone number in any format, as typed (normalised by the route). */
const phoneText = storableText({ min: 1, max: 100 });

export const API_PREFIX = '/api/v1/conversaciones-whatsapp';

const positiveId = databaseId;

const pageQuery = {
  page: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_DATABASE_ID)
    .default(1)
    .describe('Page number, from 1 (offset pagination, as the original API).'),
  per_page: z.coerce.number().int().min(1).max(100).default(50).describe('Rows per page, 1 to 100.'),
  cursor: z
    .string()
    .min(1)
    .optional()
    .describe('Keyset pagination: `paginacion.next_cursor` of the previous page. Constant cost at any depth; `page` is ignored.'),
};

/** The original's `paginacion`, plus the cursor of the next page. */
function paginated(page: Page, query: { page: number; per_page: number; cursor?: string | undefined }) {
  return {
    conversaciones: page.rows,
    paginacion: {
      page: query.cursor ? null : query.page,
      per_page: query.per_page,
      total: page.total,
      pages: Math.ceil(page.total / query.per_page),
      next_cursor: page.nextCursor,
    },
  };
}

function pageOf(query: { page: number; per_page: number; cursor?: string | undefined }) {
  return query.cursor
    ? { limit: query.per_page, cursor: decodeCursor(query.cursor) }
    : { limit: query.per_page, offset: (query.page - 1) * query.per_page };
}

/** The original API's paths and JSON, behind sign-in (docs/api.md). */
export async function conversationsRoutes(app: FastifyInstance, options: { config: Config; database: Database }): Promise<void> {
  const { config, database } = options;
  const db = database.kysely;
  const api = app.withTypeProvider<ZodTypeProvider>();
  const number = (raw: string): string => requirePhone(raw, config.defaultCountryCode);
  api.addHook('onRequest', app.requireSignIn);
  // A background recount of the statistics finishes before the database is closed.
  app.addHook('onClose', () => statisticsService(database, app.log).settled());
  app.addHook('onClose', () => senderFilterService(database, app.log).settled());
  const tags = ['conversaciones-whatsapp'];
  const security = SIGNED_IN;

  api.get(
    API_PREFIX,
    {
      schema: {
        tags,
        security,
        summary: 'Messages, newest first, with filters and pagination',
        querystring: z.object({
          ...pageQuery,
          cliente_id: positiveId.optional(),
          from_number: storableText({ max: 100 })
            .optional()
            .describe(
              'Sender: a whole number in any format (that number), or part of one (senders whose number contains its digits, as the original filter box sends it on every keystroke). Empty: no filter.',
            ),
          direccion: z.enum(['INBOUND', 'OUTBOUND']).optional(),
        }),
      },
    },
    async (request) => {
      const q = request.query;
      const totals = () => statisticsService(database, request.log).totals();
      const filter = {
        ...(q.cliente_id !== undefined ? { clienteId: q.cliente_id } : {}),
        ...(q.direccion !== undefined ? { direccion: q.direccion } : {}),
      };
      const sender = q.from_number === undefined ? null : readSenderFilter(q.from_number, config.defaultCountryCode);
      if (sender?.kind === 'contains')
        return paginated(await senderFilterService(database, request.log).list(sender.digits, filter, pageOf(q), totals), q);
      if (sender?.kind === 'nothing') return paginated({ rows: [], total: 0, nextCursor: null }, q);
      const exact = sender?.kind === 'exact' ? { fromNumber: sender.number } : {};
      return paginated(await listMessages(db, { ...filter, ...exact }, pageOf(q), totals), q);
    },
  );

  api.get(
    `${API_PREFIX}/estadisticas`,
    { schema: { tags, security, summary: 'Counts over all messages (stays fast on millions of rows)' } },
    async (request) => statisticsService(database, request.log).read(),
  );

  api.get(
    `${API_PREFIX}/cliente/:cliente_id`,
    {
      schema: {
        tags,
        security,
        summary: "A customer's messages, newest first",
        params: z.object({ cliente_id: positiveId }),
        querystring: z.object(pageQuery),
      },
    },
    async (request) =>
      paginated(
        await listMessages(db, { clienteId: request.params.cliente_id }, pageOf(request.query), () =>
          statisticsService(database, request.log).totals(),
        ),
        request.query,
      ),
  );

  api.get(
    `${API_PREFIX}/numero/:numero`,
    {
      schema: {
        tags,
        security,
        summary: "A WhatsApp number's thread, both directions, newest first (the number in any format)",
        params: z.object({ numero: phoneText }),
        querystring: z.object(pageQuery),
      },
    },
    async (request) => paginated(await threadOf(db, number(request.params.numero), pageOf(request.query)), request.query),
  );

  api.get(
    `${API_PREFIX}/buscar-cliente/:numero`,
    {
      schema: {
        tags,
        security,
        summary: 'The customer a phone number belongs to: cliente_encontrado false (200) for nobody, candidatos for a shared number',
        params: z.object({ numero: phoneText }),
      },
    },
    async (request) => {
      const normalized = number(request.params.numero);
      return { ...(await lookUpNumber(db, normalized)), numero: normalized };
    },
  );

  api.post(
    `${API_PREFIX}/enviar-mensaje`,
    {
      schema: {
        tags,
        security,
        summary: 'Send a message as an agent (same sender and 24-hour rule as the bot)',
        body: z.object({
          to_number: phoneText,
          message: storableText({ min: 1, max: 4096 }),
          cliente_id: positiveId.optional(),
        }),
      },
    },
    async (request, reply) => {
      const { to_number, message, cliente_id } = request.body;
      const conversacion = await sendAsAgent(database, principalOf(request), {
        to: number(to_number),
        text: message,
        ...(cliente_id !== undefined ? { clienteId: cliente_id } : {}),
      });
      // The original's answer: the page checks `success`. Meta's id is not known yet (the sender delivers it): null.
      return reply.status(201).send({
        success: true,
        cliente_encontrado: conversacion.cliente_id !== null,
        cliente_id: conversacion.cliente_id,
        message_id: conversacion.message_id,
        conversacion,
      });
    },
  );

  api.get(
    `${API_PREFIX}/:id`,
    { schema: { tags, security, summary: 'One message', params: z.object({ id: positiveId }) } },
    async (request) => {
      const conversacion = await messageById(db, request.params.id);
      if (!conversacion)
        throw new CharlaError('HTTP_NOT_FOUND', `No message with id ${request.params.id}.`, {
          detalle: `No existe ningún mensaje con id ${request.params.id}.`,
        });
      return { conversacion };
    },
  );
}
