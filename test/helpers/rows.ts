import { sql, type Insertable } from 'kysely';
import type { Database } from '../../src/db/database.js';
import type { ConversacionesWhatsappTable } from '../../src/db/tables.js';

/** An inbound text message row, with whatever the test cares about overridden. */
export function inboundMessage(overrides: Partial<Insertable<ConversacionesWhatsappTable>> = {}): Insertable<ConversacionesWhatsappTable> {
  return {
    message_id: `wamid.test-${Math.random().toString(36).slice(2)}`,
    from_number: '584121234567',
    to_number: '15550000000',
    message_type: 'text',
    body: 'hola',
    timestamp: new Date(),
    direccion: 'INBOUND',
    ...overrides,
  };
}

/** Details rows of inbound messages without their message row: a half-stored delivery; must never exist. */
export async function orphanDetails(database: Database): Promise<number> {
  const { rows } = await sql<{ n: string }>`select count(*) as n from whatsapp_mensajes_detalle d
    where d.status is null and not exists (select 1 from conversaciones_whatsapp c where c.message_id = d.message_id)`.execute(
    database.kysely,
  );
  return Number(rows[0]?.n);
}

/** Stored messages with their details (what Meta sent beyond the message row), oldest first. */
export function storedWithDetails(database: Database, ids: string[]) {
  return database.kysely
    .selectFrom('conversaciones_whatsapp as c')
    .leftJoin('whatsapp_mensajes_detalle as d', 'd.message_id', 'c.message_id')
    .selectAll('c')
    .select([
      'd.media_id',
      'd.media_mime_type',
      'd.reply_id',
      'd.reaction_message_id',
      'd.context_message_id',
      'd.profile_name',
      'd.phone_number_id',
      'd.metadata',
    ])
    .where('c.message_id', 'in', ids)
    .orderBy('c.timestamp')
    .orderBy('c.id')
    .execute();
}

/** The fields the original front end's Conversations page reads from each message row (docs/api.md, "Compatibility with the original front end"). */
export const READ_BY_THE_ORIGINAL_PAGE = [
  'id',
  'direccion',
  'from_number',
  'to_number',
  'body',
  'timestamp',
  'cliente_id',
  'respuesta_enviada',
  'respuesta_bot',
  'error',
] as const;
