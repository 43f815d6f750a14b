import type { Kysely } from 'kysely';
import { customerOfNumber } from '../customers/customer-phone.repository.js';
import { normalizePhone } from '../customers/phone-number.js';
import type { DialectSupport } from '../db/dialects/dialect-support.js';
import type { Tables } from '../db/tables.js';
import type { InboundMessage, Notification } from '../webhook/inbound-message.js';
import { applyStatuses } from './delivery-status.repository.js';

/**
 * Stores the messages and statuses of several notifications. A message id seen before (a
 * redelivery) stores nothing new; the customer is identified by number in the same statement.
 *
 * Messages need no transaction, which saves two round trips per batch: the details row is written
 * first and the conversaciones_whatsapp row (what the worker picks up) last, both skipping
 * duplicates. If the process dies between the two, the delivery was not acknowledged, Meta sends
 * it again, and the second attempt completes it.
 */
export async function storeNotifications(
  db: Kysely<Tables>,
  support: DialectSupport,
  notifications: readonly Notification[],
  defaultCallingCode: string,
): Promise<void> {
  const messages = uniqueById(notifications.flatMap((n) => n.messages));
  const statuses = notifications.flatMap((n) => n.statuses);
  if (messages.length > 0) await insertMessages(db, support, messages, defaultCallingCode);
  if (statuses.length > 0) await db.transaction().execute((trx) => applyStatuses(trx, support, statuses));
}

async function insertMessages(
  db: Kysely<Tables>,
  support: DialectSupport,
  messages: InboundMessage[],
  defaultCallingCode: string,
): Promise<void> {
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
  await support
    .ignoreDuplicates(
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
    )
    .execute();
}
/** The first of each message id, in id order (a stable lock order between concurrent batches). */
function uniqueById(messages: InboundMessage[]): InboundMessage[] {
  const byId = new Map<string, InboundMessage>();
  for (const m of messages) if (!byId.has(m.message_id)) byId.set(m.message_id, m);
  return [...byId.values()].sort((a, b) => (a.message_id < b.message_id ? -1 : a.message_id > b.message_id ? 1 : 0));
}
