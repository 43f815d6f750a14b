import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Config } from '../config/config.js';
import { requirePhone } from '../customers/phone-number.js';
import type { Database } from '../db/database.js';
import { CharlaError } from '../errors/charla-error.js';
import { principalOf, SIGNED_IN } from '../http/authentication.js';
import { databaseId } from '../validation/database-id.js';
import { storableText } from '../validation/storable-text.js';
import { inboxSummary } from './inbox-list.repository.js';
import { conversationExists } from './inbox.repository.js';
import { inboxSummarySchema, threadPageSchema } from './inbox.schemas.js';
import { decodeThreadCursor, messageInThread, threadPage, type ThreadRequest } from './thread.repository.js';

const security = SIGNED_IN;
const tags = ['conversaciones'];

const cursorParam = (what: string) =>
  z
    .string()
    .min(1)
    .max(40)
    .transform((text, ctx) => {
      const id = decodeThreadCursor(text);
      if (id === null) {
        ctx.addIssue({ code: 'custom', message: 'is not a cursor this API returned; start again without it' });
        return z.NEVER;
      }
      return id;
    })
    .optional()
    .describe(what);

/** The inbox page's other reads: the filter badges and a conversation's thread (docs/api.md). */
export async function inboxViewsRoutes(app: FastifyInstance, options: { config: Config; database: Database }): Promise<void> {
  const { config, database } = options;
  const db = database.kysely;
  const api = app.withTypeProvider<ZodTypeProvider>();
  api.addHook('onRequest', app.requireSignIn);

  api.get(
    '/api/v1/conversaciones/resumen',
    {
      schema: {
        tags,
        security,
        summary: 'Conversations per filter of the list (badges) and unread messages over all of them (page title)',
        response: { 200: inboxSummarySchema },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      return inboxSummary(db, principal.kind === 'agent' ? principal.agentId : null, new Date());
    },
  );

  api.get(
    '/api/v1/conversaciones/:numero/mensajes',
    {
      schema: {
        tags,
        security,
        summary: "A conversation's messages, both directions, oldest first: the newest page, or before/after a cursor, or around a message",
        params: z.object({ numero: storableText({ min: 1, max: 100 }).describe('The WhatsApp number, in any format.') }),
        querystring: z
          .object({
            limite: z.coerce.number().int().min(1).max(100).default(50).describe('Messages per page, 1 to 100.'),
            antes: cursorParam('`cursor_anterior` of a page: the messages before it.'),
            despues: cursorParam('`cursor_siguiente` of a page: the messages after it.'),
            alrededor: databaseId.optional().describe("A message's id (a search result): the page around it, the message included."),
          })
          .refine((q) => [q.antes, q.despues, q.alrededor].filter((v) => v !== undefined).length <= 1, {
            message: 'give at most one of antes, despues and alrededor',
          }),
        response: { 200: threadPageSchema },
      },
    },
    async (request) => {
      const number = requirePhone(request.params.numero, config.defaultCountryCode);
      if (!(await conversationExists(db, number))) throw new CharlaError('HTTP_NOT_FOUND', `No conversation with ${number}.`);
      const q = request.query;
      let page: ThreadRequest = { limit: q.limite };
      if (q.antes !== undefined) page = { limit: q.limite, before: q.antes };
      else if (q.despues !== undefined) page = { limit: q.limite, after: q.despues };
      else if (q.alrededor !== undefined) {
        if (!(await messageInThread(db, number, q.alrededor)))
          throw new CharlaError('HTTP_NOT_FOUND', `Message ${q.alrededor} is not in the conversation with ${number}.`);
        page = { limit: q.limite, around: q.alrededor };
      }
      return threadPage(db, number, page);
    },
  );
}
