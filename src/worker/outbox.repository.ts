import { sql, type Kysely, type QueryCreator } from 'kysely';
import type { DialectSupport } from '../db/dialects/dialect-support.js';
import { perRow } from '../db/per-row.js';
import type { Tables } from '../db/tables.js';
import { applyPendingStatuses } from '../conversations/delivery-status.repository.js';
import { flagFailedSends } from '../conversations/inbox-counters.repository.js';
import { recordEvents } from '../conversations/events.repository.js';

export interface OutboxEntry {
  conversacion_id: number;
  entrante_id: number | null;
  wa_number: string;
  contenido: string;
  intentos: number;
}

/**
 * When each customer last wrote (the 24-hour window), read in its own statement: inside the claim
 * transaction MySQL's snapshot could predate the worker's commit and show it as never.
 */
export async function lastInboundTimes(db: Kysely<Tables>, waNumbers: readonly string[]): Promise<Map<string, Date>> {
  if (waNumbers.length === 0) return new Map();
  const rows = await db
    .selectFrom('whatsapp_conversaciones')
    .select(['wa_number', 'ultimo_entrante_en'])
    .where('wa_number', 'in', [...new Set(waNumbers)])
    .execute();
  return new Map(rows.flatMap((r) => (r.ultimo_entrante_en ? [[r.wa_number, r.ultimo_entrante_en] as const] : [])));
}

/**
 * Claims replies that are due, at most one per customer and only a customer's earliest pending
 * one (replies go out in order). A claim is a lease: `proximo_intento_en` moves `leaseMs` ahead, so a
 * sender that dies mid-send gives the reply back when the lease ends.
 */
export async function claimDue(
  db: Kysely<Tables>,
  support: DialectSupport,
  limit: number,
  leaseMs: number,
  now = new Date(),
): Promise<OutboxEntry[]> {
  const due = (qb: QueryCreator<Tables>) =>
    qb
      .selectFrom('whatsapp_envios as e')
      .where('e.estado', '=', 'pendiente')
      .where('e.proximo_intento_en', '<=', now)
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('whatsapp_envios as earlier')
              .select('earlier.conversacion_id')
              .whereRef('earlier.wa_number', '=', 'e.wa_number')
              .where('earlier.estado', '=', 'pendiente')
              .whereRef('earlier.conversacion_id', '<', 'e.conversacion_id'),
          ),
        ),
      )
      .orderBy('e.conversacion_id')
      .limit(limit)
      .forUpdate()
      .skipLocked();
  const lease = { proximo_intento_en: new Date(now.getTime() + leaseMs), intentos: sql<number>`intentos + 1` };
  if (support.supportsReturning) {
    // PostgreSQL: claim and read in one statement. The CTE (materialised: it locks) picks the rows
    // once; the UPDATE takes their lease and returns them.
    const rows = await db
      .with('picked', (qb) => due(qb).select('e.conversacion_id'))
      .updateTable('whatsapp_envios')
      .set(lease)
      .where('conversacion_id', 'in', (eb) => eb.selectFrom('picked').select('picked.conversacion_id'))
      .returning(['conversacion_id', 'entrante_id', 'wa_number', 'contenido', 'intentos'])
      .execute();
    return rows.sort((a, b) => a.conversacion_id - b.conversacion_id);
  }
  return db.transaction().execute(async (trx) => {
    const rows = await due(trx).select(['e.conversacion_id', 'e.entrante_id', 'e.wa_number', 'e.contenido', 'e.intentos']).execute();
    if (rows.length === 0) return [];
    await trx
      .updateTable('whatsapp_envios')
      .set(lease)
      .where(
        'conversacion_id',
        'in',
        rows.map((r) => r.conversacion_id),
      )
      .execute();
    return rows.map((r) => ({ ...r, intentos: r.intentos + 1 }));
  });
}

export interface SentReply {
  entry: OutboxEntry;
  wamid: string;
  /** The number Meta delivered to (the test recipient in test mode). */
  recipient: string;
}

/**
 * Replies that reached Meta, in one transaction: both rows of each say so (the OUTBOUND row gets
 * Meta's id, the inbound row `respuesta_meta_id`) and an `estado` inbox event each; then statuses
 * that arrived first are applied.
 */
export async function markSent(db: Kysely<Tables>, support: DialectSupport, sent: readonly SentReply[]): Promise<void> {
  if (sent.length === 0) return;
  const now = new Date();
  const outbound = sent.map((s) => s.entry.conversacion_id);
  const answered = sent.filter((s) => s.entry.entrante_id !== null);
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('whatsapp_envios').set({ estado: 'enviado' }).where('conversacion_id', 'in', outbound).execute();
    await trx
      .updateTable('conversaciones_whatsapp')
      .set({
        message_id: perRow(
          'id',
          'message_id',
          sent.map((s) => [s.entry.conversacion_id, s.wamid] as const),
        ),
        to_number: perRow(
          'id',
          'to_number',
          sent.map((s) => [s.entry.conversacion_id, s.recipient.slice(0, 20)] as const),
        ),
        respuesta_enviada: true,
        error: null,
        actualizado_en: now,
      })
      .where('id', 'in', outbound)
      .execute();
    if (answered.length > 0) {
      const inboundIds = answered.map((s) => s.entry.entrante_id as number);
      await trx
        .updateTable('conversaciones_whatsapp')
        .set({
          respuesta_meta_id: perRow(
            'id',
            'respuesta_meta_id',
            answered.map((s) => [s.entry.entrante_id as number, s.wamid] as const),
          ),
          respuesta_enviada: true,
          error: null,
          actualizado_en: now,
        })
        .where('id', 'in', inboundIds)
        .execute();
    }
    await support
      .ignoreDuplicates(trx.insertInto('whatsapp_mensajes_detalle').values(sent.map((s) => ({ message_id: s.wamid }))), ['message_id'])
      .execute();
    await recordEvents(
      trx,
      support,
      sent.map((s) => ({
        tipo: 'estado',
        wa_number: s.entry.wa_number,
        conversacion_id: s.entry.conversacion_id,
        datos: { envio: 'enviado' },
      })),
    );
  });
  await applyPendingStatuses(
    db,
    support,
    sent.map((s) => s.wamid),
  );
}

/** The reply cannot be sent (a permanent error, or too many attempts): both rows carry the reason (and an `estado` event says so). */
export async function markFailed(db: Kysely<Tables>, support: DialectSupport, entry: OutboxEntry, error: string): Promise<void> {
  const now = new Date();
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('whatsapp_envios').set({ estado: 'fallido' }).where('conversacion_id', '=', entry.conversacion_id).execute();
    const ids = [entry.conversacion_id, ...(entry.entrante_id === null ? [] : [entry.entrante_id])];
    await trx.updateTable('conversaciones_whatsapp').set({ error, actualizado_en: now }).where('id', 'in', ids).execute();
    await flagFailedSends(trx, { rowIds: [entry.conversacion_id] });
    await recordEvents(trx, support, [
      { tipo: 'estado', wa_number: entry.wa_number, conversacion_id: entry.conversacion_id, datos: { envio: 'fallido' } },
    ]);
  });
}

/** Try again at `at`, keeping the last error visible on the reply row. */
export async function reschedule(db: Kysely<Tables>, entry: OutboxEntry, at: Date, error: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('whatsapp_envios').set({ proximo_intento_en: at }).where('conversacion_id', '=', entry.conversacion_id).execute();
    await trx
      .updateTable('conversaciones_whatsapp')
      .set({ error, actualizado_en: new Date() })
      .where('id', '=', entry.conversacion_id)
      .execute();
  });
}
