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
import { conversationOf, listConversations } from './inbox-list.repository.js';
import { conversationExists, markRead, resolveReceipt, setMode } from './inbox.repository.js';
import { conversationListSchema, INBOX_FILTERS } from './inbox.schemas.js';

const security = SIGNED_IN;
const tags = ['conversaciones'];

function encodeBefore(before: { at: Date; waNumber: string }): string {
  return Buffer.from(`${before.at.getTime()}.${before.waNumber}`).toString('base64url');
}

function decodeBefore(text: string): { at: Date; waNumber: string } {
  const match = /^(\d{1,15})\.(\d{1,20})$/.exec(Buffer.from(text, 'base64url').toString());
  if (!match) throw new CharlaError('HTTP_BAD_REQUEST', 'cursor is not one this API returned; start again without it.');
  return { at: new Date(Number(match[1])), waNumber: match[2] as string };
}

/** The inbox's conversation-level views: one entry per WhatsApp number, and what agents do to it. */
export async function inboxRoutes(app: FastifyInstance, options: { config: Config; database: Database }): Promise<void> {
  const { config, database } = options;
  const db = database.kysely;
  const api = app.withTypeProvider<ZodTypeProvider>();
  api.addHook('onRequest', app.requireSignIn);
  const numberParams = z.object({ numero: storableText({ min: 1, max: 100 }).describe('The WhatsApp number, in any format.') });
  const existing = async (raw: string): Promise<string> => {
    const number = requirePhone(raw, config.defaultCountryCode);
    if (!(await conversationExists(db, number))) throw new CharlaError('HTTP_NOT_FOUND', `No conversation with ${number}.`);
    return number;
  };
  const entry = async (number: string) => ({ conversacion: await conversationOf(db, number) });

  api.get(
    '/api/v1/conversaciones',
    {
      schema: {
        tags,
        security,
        summary: 'Conversations, most recent customer message first: last message, unread count, bot or agent, flags',
        querystring: z.object({
          limite: z.coerce.number().int().min(1).max(100).default(50).describe('Conversations per page, 1 to 100.'),
          cursor: z.string().min(1).optional().describe('`cursor_siguiente` of the previous page.'),
          modo: z.enum(['bot', 'agente']).optional().describe('Only the conversations the bot answers, or those an agent holds.'),
          comprobante_pendiente: z.enum(['true', 'false']).optional(),
          filtro: z
            .enum(INBOX_FILTERS)
            .default('todas')
            .describe(
              '`mias`: held by the signed-in agent; `sin_identificar`: no customer; `comprobante`: receipt pending; `ventana`: the 24-hour window closes within 2 hours; `fallidos`: the newest message sent failed.',
            ),
        }),
        response: { 200: conversationListSchema },
      },
    },
    async (request) => {
      const q = request.query;
      const principal = principalOf(request);
      const page = await listConversations(
        db,
        {
          filtro: q.filtro,
          agentId: principal.kind === 'agent' ? principal.agentId : null,
          now: new Date(),
          ...(q.modo ? { mode: q.modo } : {}),
          ...(q.comprobante_pendiente ? { receiptPending: q.comprobante_pendiente === 'true' } : {}),
        },
        q.limite,
        q.cursor ? decodeBefore(q.cursor) : undefined,
      );
      return { conversaciones: page.entries, cursor_siguiente: page.next ? encodeBefore(page.next) : null };
    },
  );

  api.get(
    '/api/v1/conversaciones/:numero',
    { schema: { tags, security, summary: 'One conversation', params: numberParams } },
    async (request) => entry(await existing(request.params.numero)),
  );

  api.post(
    '/api/v1/conversaciones/:numero/leido',
    {
      schema: {
        tags,
        security,
        summary: 'Mark the conversation read (up to its newest message, or `hasta_id`)',
        params: numberParams,
        body: z.object({ hasta_id: databaseId.optional() }).nullish(),
      },
    },
    async (request) => {
      const number = await existing(request.params.numero);
      await markRead(db, database.support, number, request.body?.hasta_id);
      return entry(number);
    },
  );

  api.post(
    '/api/v1/conversaciones/:numero/tomar',
    { schema: { tags, security, summary: 'Take the conversation over: the bot stops answering', params: numberParams } },
    async (request) => {
      const number = await existing(request.params.numero);
      const principal = principalOf(request);
      await setMode(db, database.support, number, 'agente', principal.kind === 'agent' ? principal.agentId : null);
      return entry(number);
    },
  );

  api.post(
    '/api/v1/conversaciones/:numero/devolver',
    { schema: { tags, security, summary: 'Return the conversation to the bot', params: numberParams } },
    async (request) => {
      const number = await existing(request.params.numero);
      const principal = principalOf(request);
      // The agent is kept only in the handoff log: a conversation the bot holds has no agente_id.
      await setMode(db, database.support, number, 'bot', principal.kind === 'agent' ? principal.agentId : null);
      return entry(number);
    },
  );

  api.post(
    '/api/v1/conversaciones/:numero/comprobante-revisado',
    { schema: { tags, security, summary: 'The payment receipt was reviewed: clear the flag', params: numberParams } },
    async (request) => {
      const number = await existing(request.params.numero);
      await resolveReceipt(db, database.support, number);
      return entry(number);
    },
  );
}
