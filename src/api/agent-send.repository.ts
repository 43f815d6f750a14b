import type { Kysely } from 'kysely';
import type { DialectSupport } from '../db/dialects/dialect-support.js';
import { insertReturningId } from '../db/insert-returning-id.js';
import type { Tables } from '../db/tables.js';
import { clearFailedSends } from '../conversations/inbox-counters.repository.js';
import { recordEvents } from '../conversations/events.repository.js';

/** What sending to a number depends on: when the customer last wrote, and who they are. */
export async function conversationForSending(
  db: Kysely<Tables>,
  waNumber: string,
): Promise<{ ultimo_entrante_en: Date | null; cliente_id: number | null } | undefined> {
  return db
    .selectFrom('whatsapp_conversaciones')
    .select(['ultimo_entrante_en', 'cliente_id'])
    .where('wa_number', '=', waNumber)
    .executeTakeFirst();
}

export async function customerExists(db: Kysely<Tables>, clienteId: number): Promise<boolean> {
  return (await db.selectFrom('clientes').select('id').where('id', '=', clienteId).executeTakeFirst()) !== undefined;
}

/** The business number the customer last wrote to: an agent's message goes out from it. */
export async function businessNumberOf(db: Kysely<Tables>, waNumber: string): Promise<string | null> {
  const row = await db
    .selectFrom('conversaciones_whatsapp')
    .select('to_number')
    .where('from_number', '=', waNumber)
    .where('direccion', '=', 'INBOUND')
    .orderBy('timestamp', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.to_number ?? null;
}

/**
 * An agent's message in one transaction: the OUTBOUND row (processed: the bot has nothing to do
 * with it) and its `whatsapp_envios` entry, which the sender delivers. Returns the row's id.
 */
export async function insertAgentMessage(
  db: Kysely<Tables>,
  support: DialectSupport,
  message: {
    from: string;
    to: string;
    text: string;
    contenido: string;
    clienteId: number | null;
    agenteId: number | null;
    at: Date;
    /** `message_type` of the row: `text` unless said (`template`). */
    messageType?: string;
  },
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const rowId = await insertReturningId(trx, support, 'conversaciones_whatsapp', {
      from_number: message.from,
      to_number: message.to,
      message_type: message.messageType ?? 'text',
      body: message.text,
      timestamp: message.at,
      direccion: 'OUTBOUND',
      cliente_id: message.clienteId,
      procesado: true,
    });
    await trx
      .insertInto('whatsapp_envios')
      .values({
        conversacion_id: rowId,
        entrante_id: null,
        wa_number: message.to,
        contenido: message.contenido,
        agente_id: message.agenteId,
      })
      .execute();
    await clearFailedSends(trx, [message.to]);
    await recordEvents(trx, support, [
      { tipo: 'mensaje', wa_number: message.to, conversacion_id: rowId, datos: { direccion: 'OUTBOUND' } },
    ]);
    return rowId;
  });
}
