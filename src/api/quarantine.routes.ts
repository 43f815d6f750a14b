import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { listQuarantine, quarantinedItem, type QuarantineRow } from '../conversations/quarantine.repository.js';
import type { Database } from '../db/database.js';
import { CharlaError } from '../errors/charla-error.js';
import { requireRole, SIGNED_IN } from '../http/authentication.js';
import { databaseId } from '../validation/database-id.js';
import { isoTimestamp } from './message-row.js';

/** A quarantined item as admins see it: the content as Meta sent it (parsed JSON). */
function itemOut(row: QuarantineRow) {
  let contenido: unknown;
  try {
    contenido = JSON.parse(row.contenido);
  } catch {
    contenido = row.contenido;
  }
  return {
    id: row.id,
    clase: row.clase,
    message_id: row.message_id,
    motivo: row.motivo,
    contenido,
    recibido_en: isoTimestamp(row.recibido_en),
  };
}

/** Webhook items that could not be stored as they came (docs/webhook-hardening.md), for admins. */
export async function quarantineRoutes(app: FastifyInstance, options: { database: Database }): Promise<void> {
  const db = options.database.kysely;
  const api = app.withTypeProvider<ZodTypeProvider>();
  const admin = { onRequest: [app.requireSignIn, requireRole('admin')] };
  const tags = ['admin'];
  const security = SIGNED_IN;

  api.get(
    '/api/v1/cuarentena',
    {
      schema: {
        tags,
        security,
        summary: 'Webhook items kept whole because they could not be stored as they came, newest first',
        querystring: z.object({
          limite: z.coerce.number().int().min(1).max(100).default(50).describe('Items per page, 1 to 100.'),
          cursor: databaseId.optional().describe('`cursor_siguiente` of the previous page.'),
        }),
      },
      ...admin,
    },
    async (request) => {
      const { limite, cursor } = request.query;
      const { rows, total } = await listQuarantine(db, limite, cursor);
      const last = rows.at(-1);
      return { cuarentena: rows.map(itemOut), total, cursor_siguiente: last && rows.length === limite ? String(last.id) : null };
    },
  );

  api.get(
    '/api/v1/cuarentena/:id',
    { schema: { tags, security, summary: 'One quarantined webhook item', params: z.object({ id: databaseId }) }, ...admin },
    async (request) => {
      const row = await quarantinedItem(db, request.params.id);
      if (!row) throw new CharlaError('HTTP_NOT_FOUND', `No quarantined item with id ${request.params.id}.`);
      return { elemento: itemOut(row) };
    },
  );
}
