import { sql, type Kysely } from 'kysely';
import type { ConversationState } from '../bot/bot.service.js';
import type { DialectSupport } from '../db/dialects/dialect-support.js';
import { insertReturningId } from '../db/insert-returning-id.js';
import type { Tables } from '../db/tables.js';

/**
 * The worker's queue is the table itself: unprocessed INBOUND rows. A customer's messages are
 * serialised by locking their `whatsapp_conversaciones` row (FOR UPDATE SKIP LOCKED), so any number
 * of workers answer different customers at once and each customer in order.
 */
export async function numbersWithPendingMessages(db: Kysely<Tables>, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('conversaciones_whatsapp')
    .select(['from_number', (eb) => eb.fn.min('id').as('first_id')])
    .where('procesado', '=', false)
    .where('direccion', '=', 'INBOUND')
    .where('from_number', '!=', '')
    .groupBy('from_number')
    .orderBy('first_id')
    .limit(limit)
    .execute();
  return rows.map((r) => r.from_number);
}

export async function ensureConversations(db: Kysely<Tables>, support: DialectSupport, numbers: readonly string[]): Promise<void> {
  if (numbers.length === 0) return;
  await support
    .ignoreDuplicates(db.insertInto('whatsapp_conversaciones').values(numbers.map((wa_number) => ({ wa_number }))), ['wa_number'])
    .execute();
}

/** The conversation's state, locked for this transaction; null when another worker holds it. */
export async function lockConversation(trx: Kysely<Tables>, waNumber: string): Promise<ConversationState | null> {
  const row = await trx
    .selectFrom('whatsapp_conversaciones')
    .selectAll()
    .where('wa_number', '=', waNumber)
    .forUpdate()
    .skipLocked()
    .executeTakeFirst();
  if (!row) return null;
  return {
    clienteId: row.cliente_id,
    mode: row.mode,
    verificationStep: row.verification_step,
    candidateClienteId: row.candidate_cliente_id,
    failedAttempts: row.failed_attempts,
    receiptPending: Boolean(row.receipt_pending),
  };
}

export interface PendingInbound {
  id: number;
  from_number: string;
  to_number: string;
  message_type: string;
  body: string | null;
  timestamp: Date;
  cliente_id: number | null;
  reply_id: string | null;
  profile_name: string | null;
}

/** The oldest unprocessed message of a number (its conversation row must be locked). */
export async function oldestPending(trx: Kysely<Tables>, waNumber: string): Promise<PendingInbound | null> {
  const row = await trx
    .selectFrom('conversaciones_whatsapp as c')
    .leftJoin('whatsapp_mensajes_detalle as d', 'd.message_id', 'c.message_id')
    .select([
      'c.id',
      'c.from_number',
      'c.to_number',
      'c.message_type',
      'c.body',
      'c.timestamp',
      'c.cliente_id',
      'd.reply_id',
      'd.profile_name',
    ])
    .where('c.from_number', '=', waNumber)
    .where('c.direccion', '=', 'INBOUND')
    .where('c.procesado', '=', false)
    .orderBy('c.timestamp')
    .orderBy('c.id')
    .limit(1)
    .executeTakeFirst();
  return row ?? null;
}

export interface ReplyRecord {
  inbound: PendingInbound;
  state: ConversationState;
  /** The reply as text (respuesta_bot, the OUTBOUND row's body) and as sent (JSON of the ClientMessage). */
  reply: { text: string; type: string; payload: string } | null;
}

/**
 * In the caller's transaction: the OUTBOUND reply row and its outbox entry, the inbound row marked
 * processed and pointing at its reply, and the conversation's new state.
 */
export async function recordReply(trx: Kysely<Tables>, support: DialectSupport, record: ReplyRecord): Promise<number | null> {
  const { inbound, state, reply } = record;
  const now = new Date();
  let replyId: number | null = null;
  if (reply) {
    const values = {
      from_number: inbound.to_number,
      to_number: inbound.from_number,
      message_type: reply.type,
      body: reply.text,
      timestamp: now,
      direccion: 'OUTBOUND' as const,
      cliente_id: state.clienteId,
      procesado: true,
    };
    replyId = await insertReturningId(trx, support, 'conversaciones_whatsapp', values);
    await trx
      .insertInto('whatsapp_envios')
      .values({ conversacion_id: replyId, inbound_id: inbound.id, wa_number: inbound.from_number, payload: reply.payload })
      .execute();
  }
  await trx
    .updateTable('conversaciones_whatsapp')
    .set({
      procesado: true,
      respuesta_bot: reply?.text ?? null,
      respuesta_id: replyId,
      cliente_id: inbound.cliente_id ?? state.clienteId,
      actualizado_en: now,
    })
    .where('id', '=', inbound.id)
    .execute();
  await trx
    .updateTable('whatsapp_conversaciones')
    .set({
      cliente_id: state.clienteId,
      mode: state.mode,
      verification_step: state.verificationStep,
      candidate_cliente_id: state.candidateClienteId,
      failed_attempts: state.failedAttempts,
      receipt_pending: state.receiptPending,
      ...(inbound.profile_name ? { profile_name: inbound.profile_name } : {}),
      last_inbound_at: sql<Date>`case when last_inbound_at is null or last_inbound_at < ${inbound.timestamp} then ${inbound.timestamp} else last_inbound_at end`,
      actualizado_en: now,
    })
    .where('wa_number', '=', inbound.from_number)
    .execute();
  return replyId;
}
