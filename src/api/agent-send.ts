import type { Principal } from '../auth/auth.repository.js';
import { customersByNumber } from '../customers/customer-phone.repository.js';
import type { Database } from '../db/database.js';
import { insertReturningId } from '../db/insert-returning-id.js';
import { CharlaError } from '../errors/charla-error.js';
import type { ClientMessage } from '../graph/client-message.js';
import { insideServiceWindow } from '../conversations/service-window.js';
import { isoTimestamp, MESSAGE_COLUMNS, toMessageRow, type MessageRow } from './message-row.js';

/**
 * An agent's message: the OUTBOUND row and its outbox entry (with the agent) in one transaction;
 * the same sender as the bot's replies delivers it and records the result on the row. Free text
 * outside the 24-hour window is refused here, before anything is stored or sent.
 */
export async function sendAsAgent(
  database: Database,
  principal: Principal,
  message: { to: string; text: string; clienteId?: number },
  now = new Date(),
): Promise<MessageRow> {
  const { kysely, support } = database;
  const conversation = await kysely
    .selectFrom('whatsapp_conversaciones')
    .select(['last_inbound_at', 'cliente_id'])
    .where('wa_number', '=', message.to)
    .executeTakeFirst();
  const lastInbound = conversation?.last_inbound_at ?? null;
  if (!insideServiceWindow(lastInbound, now)) {
    throw new CharlaError(
      'OUTSIDE_SERVICE_WINDOW',
      lastInbound
        ? `${message.to} last wrote at ${isoTimestamp(lastInbound) ?? 'an unreadable time'}, more than 24 hours ago: only an approved template can be sent.`
        : `${message.to} has never written: only an approved template can be sent.`,
    );
  }
  if (message.clienteId !== undefined) {
    const known = await kysely.selectFrom('clientes').select('id').where('id', '=', message.clienteId).executeTakeFirst();
    if (!known) throw new CharlaError('CUSTOMER_UNKNOWN', `There is no customer with cliente_id ${message.clienteId}; nothing was sent.`);
  }
  const clienteId =
    message.clienteId ?? conversation?.cliente_id ?? (await customersByNumber(kysely, [message.to])).get(message.to) ?? null;
  const businessNumber = await kysely
    .selectFrom('conversaciones_whatsapp')
    .select('to_number')
    .where('from_number', '=', message.to)
    .where('direccion', '=', 'INBOUND')
    .orderBy('timestamp', 'desc')
    .limit(1)
    .executeTakeFirst();
  const id = await kysely.transaction().execute(async (trx) => {
    const rowId = await insertReturningId(trx, support, 'conversaciones_whatsapp', {
      from_number: businessNumber?.to_number ?? '',
      to_number: message.to,
      message_type: 'text',
      body: message.text,
      timestamp: now,
      direccion: 'OUTBOUND',
      cliente_id: clienteId,
      procesado: true,
    });
    await trx
      .insertInto('whatsapp_envios')
      .values({
        conversacion_id: rowId,
        inbound_id: null,
        wa_number: message.to,
        payload: JSON.stringify({ kind: 'text', body: message.text } satisfies ClientMessage),
        agente_id: principal.kind === 'agent' ? principal.agentId : null,
      })
      .execute();
    return rowId;
  });
  const row = await kysely.selectFrom('conversaciones_whatsapp').select(MESSAGE_COLUMNS).where('id', '=', id).executeTakeFirstOrThrow();
  return toMessageRow(row);
}
