import type { Kysely } from 'kysely';
import type { DialectSupport } from '../db/dialects/dialect-support.js';
import type { Tables } from '../db/tables.js';
import { recordEvents, type NewEvent } from './events.repository.js';
import { flagFailedSends } from './inbox-counters.repository.js';
import type { DeliveryStatus, StatusUpdate } from './messages.js';

/** The statuses a message may be in for a new one to apply: statuses only move forward. */
const APPLIES_AFTER: Record<DeliveryStatus, string[]> = {
  sent: [],
  delivered: ['sent'],
  read: ['sent', 'delivered'],
  failed: ['sent'],
};

/**
 * Applies status updates to the OUTBOUND messages they describe, whatever order they arrive in;
 * a status for a message not recorded yet is kept in `whatsapp_estados_pendientes`. Returns the
 * inbox events of the statuses applied (an `estado` each), for the caller to record in its transaction.
 */
export async function applyStatuses(trx: Kysely<Tables>, support: DialectSupport, statuses: readonly StatusUpdate[]): Promise<NewEvent[]> {
  if (statuses.length === 0) return [];
  const ids = [...new Set(statuses.map((s) => s.message_id))];
  const known = new Map(
    (
      await trx
        .selectFrom('conversaciones_whatsapp')
        .select(['message_id', 'id', 'to_number'])
        .where('message_id', 'in', ids)
        .where('direccion', '=', 'OUTBOUND')
        .execute()
    ).map((r) => [r.message_id, r] as const),
  );
  const events: NewEvent[] = [];
  const ordered = [...statuses].sort((a, b) => a.message_id.localeCompare(b.message_id));
  for (const status of ordered) {
    const row = known.get(status.message_id);
    if (!row) {
      await keepPending(trx, support, status);
      continue;
    }
    await support
      .ignoreDuplicates(trx.insertInto('whatsapp_mensajes_detalle').values({ message_id: status.message_id }), ['message_id'])
      .execute();
    const allowedBefore = APPLIES_AFTER[status.status];
    const result = await trx
      .updateTable('whatsapp_mensajes_detalle')
      .set({ status: status.status, status_timestamp: status.timestamp })
      .where('message_id', '=', status.message_id)
      .where((eb) =>
        allowedBefore.length === 0 ? eb('status', 'is', null) : eb.or([eb('status', 'is', null), eb('status', 'in', allowedBefore)]),
      )
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) > 0)
      events.push({ tipo: 'estado', wa_number: row.to_number, conversacion_id: row.id, datos: { status: status.status } });
    if (status.status === 'failed' && Number(result.numUpdatedRows) > 0) {
      await trx
        .updateTable('conversaciones_whatsapp')
        .set({ error: status.error ?? 'failed', actualizado_en: new Date() })
        .where('message_id', '=', status.message_id)
        .execute();
      await flagFailedSends(trx, { rowIds: [row.id] });
    }
  }
  return events;
}

async function keepPending(trx: Kysely<Tables>, support: DialectSupport, status: StatusUpdate): Promise<void> {
  await support
    .ignoreDuplicates(
      trx.insertInto('whatsapp_estados_pendientes').values({
        message_id: status.message_id,
        status: status.status,
        status_timestamp: status.timestamp,
        recipient_id: status.recipient_id,
        error: status.error,
      }),
      ['message_id', 'status'],
    )
    .execute();
}

/**
 * Applies the statuses that arrived before these messages were recorded (the sender calls it
 * once it has stored Meta's ids of what it sent).
 */
export async function applyPendingStatuses(db: Kysely<Tables>, support: DialectSupport, messageIds: readonly string[]): Promise<number> {
  if (messageIds.length === 0) return 0;
  // Usually there are none: look without a transaction, and take one only to apply what was found.
  const waiting = await db
    .selectFrom('whatsapp_estados_pendientes')
    .select('id')
    .where('message_id', 'in', [...messageIds])
    .execute();
  if (waiting.length === 0) return 0;
  return db.transaction().execute(async (trx) => {
    const pending = await trx
      .selectFrom('whatsapp_estados_pendientes')
      .selectAll()
      .where('message_id', 'in', [...messageIds])
      .execute();
    if (pending.length === 0) return 0;
    const events = await applyStatuses(
      trx,
      support,
      pending.map((p) => ({
        message_id: p.message_id,
        status: p.status as DeliveryStatus,
        timestamp: p.status_timestamp,
        recipient_id: p.recipient_id,
        error: p.error,
      })),
    );
    await recordEvents(trx, support, events);
    await trx
      .deleteFrom('whatsapp_estados_pendientes')
      .where(
        'id',
        'in',
        pending.map((p) => p.id),
      )
      .execute();
    return pending.length;
  });
}
