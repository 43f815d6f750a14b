import type { Kysely } from 'kysely';
import { customerOfNumber } from '../customers/customer-phone.repository.js';
import { normalizePhone } from '../customers/phone-number.js';
import type { DialectSupport } from '../db/dialects/dialect-support.js';
import type { Tables } from '../db/tables.js';
import type { InboundMessage, Notification } from './messages.js';
import { keepInQuarantine } from './quarantine.repository.js';
import { applyStatuses } from './delivery-status.repository.js';
import { newInboundEvents, recordEvents, type NewEvent } from './events.repository.js';

/**
 * Rows per INSERT: far under every driver's bind-parameter limit (65,535 on PostgreSQL and MySQL)
 * whatever the number of messages in a delivery (about 10 parameters per row).
 */
const ROWS_PER_STATEMENT = 1000;

/**
 * Stores the messages, statuses and quarantined items of several notifications in one transaction:
 * a message's details and its conversaciones_whatsapp row (what the worker picks up) commit
 * together or not at all. A message id seen before (a redelivery) stores nothing new, a quarantined
 * item seen before neither; the customer is identified by number in the same statement. The
 * inbox's events (a `mensaje` per new message, an `estado` per applied status) commit with them.
 */
export async function storeNotifications(
  db: Kysely<Tables>,
  support: DialectSupport,
  notifications: readonly Notification[],
  defaultCallingCode: string,
): Promise<void> {
  const messages = uniqueById(notifications.flatMap((n) => n.messages));
  const statuses = notifications.flatMap((n) => n.statuses);
  const quarantined = notifications.flatMap((n) => n.quarantined);
  if (messages.length + statuses.length + quarantined.length === 0) return;
  await db.transaction().execute(async (trx) => {
    const events: NewEvent[] = [];
    for (const chunk of chunks(messages, ROWS_PER_STATEMENT))
      events.push(...(await insertMessages(trx, support, chunk, defaultCallingCode)));
    for (const chunk of chunks(quarantined, ROWS_PER_STATEMENT)) await keepInQuarantine(trx, support, chunk);
    for (const chunk of chunks(statuses, ROWS_PER_STATEMENT)) events.push(...(await applyStatuses(trx, support, chunk)));
    await recordEvents(trx, support, events);
  });
}

async function insertMessages(
  db: Kysely<Tables>,
  support: DialectSupport,
  messages: InboundMessage[],
  defaultCallingCode: string,
): Promise<NewEvent[]> {
  await support
    .ignoreDuplicates(
      db.insertInto('whatsapp_mensajes_detalle').values(
        messages.map((m) => ({
          message_id: m.message_id,
          phone_number_id: m.phone_number_id,
          profile_name: m.profile_name,
          media_id: m.media_id,
          media_mime_type: m.media_mime_type,
          context_message_id: m.context_message_id,
          reaction_message_id: m.reaction_message_id,
          reply_id: m.reply_id,
          metadata: m.metadata,
        })),
      ),
      ['message_id'],
    )
    .execute();
  const rows = support.ignoreDuplicates(
    db.insertInto('conversaciones_whatsapp').values(
      messages.map((m) => ({
        message_id: m.message_id,
        from_number: m.from_number,
        to_number: m.to_number,
        message_type: m.message_type,
        body: m.body,
        timestamp: m.timestamp,
        direccion: 'INBOUND' as const,
        cliente_id: customerOfNumber(normalizePhone(m.from_number, defaultCallingCode) ?? m.from_number),
        error: m.error,
      })),
    ),
    ['message_id'],
  );
  const direccion = { direccion: 'INBOUND' };
  // The rows this statement made (a redelivery's are skipped): RETURNING, or the insert id on MySQL.
  if (support.supportsReturning) {
    const inserted = await rows.returning(['id', 'from_number']).execute();
    return inserted.map((r) => ({ tipo: 'mensaje', wa_number: r.from_number, conversacion_id: r.id, datos: direccion }));
  }
  const result = await rows.executeTakeFirst();
  return newInboundEvents(
    db,
    messages.map((m) => m.message_id),
    Number(result.insertId ?? 0),
  );
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += size) result.push(items.slice(i, i + size));
  return result;
}

/** The first of each message id, in id order (a stable lock order between concurrent batches). */
function uniqueById(messages: InboundMessage[]): InboundMessage[] {
  const byId = new Map<string, InboundMessage>();
  for (const m of messages) if (!byId.has(m.message_id)) byId.set(m.message_id, m);
  return [...byId.values()].sort((a, b) => (a.message_id < b.message_id ? -1 : a.message_id > b.message_id ? 1 : 0));
}
