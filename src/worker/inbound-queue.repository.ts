import { sql, type Kysely } from 'kysely';
import type { BotNote, ConversationState } from '../conversations/conversation-state.js';
import { unreadCounts } from '../conversations/inbox-counters.repository.js';
import { recordEvents } from '../conversations/events.repository.js';
import { logHandoffs } from '../conversations/handoff-log.repository.js';
import type { DialectSupport } from '../db/dialects/dialect-support.js';
import { insertReturningId } from '../db/insert-returning-id.js';
import { retryOnDeadlock } from '../db/deadlock.js';
import { perRow } from '../db/per-row.js';
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

/**
 * A conversation row for each number that has none. Workers running side by side insert
 * overlapping numbers at once: sorted, so their locks are taken in one order, and repeated when
 * MySQL/MariaDB still picks one as a deadlock's victim (its gap locks; src/db/deadlock.ts).
 */
export async function ensureConversations(db: Kysely<Tables>, support: DialectSupport, numbers: readonly string[]): Promise<void> {
  if (numbers.length === 0) return;
  const sorted = [...new Set(numbers)].sort();
  await retryOnDeadlock(() =>
    support
      .ignoreDuplicates(db.insertInto('whatsapp_conversaciones').values(sorted.map((wa_number) => ({ wa_number }))), ['wa_number'])
      .execute(),
  );
}

/** The conversations' states, locked for this transaction; numbers another worker holds are left out. */
export async function lockConversations(trx: Kysely<Tables>, waNumbers: readonly string[]): Promise<Map<string, ConversationState>> {
  if (waNumbers.length === 0) return new Map();
  const rows = await trx
    .selectFrom('whatsapp_conversaciones')
    .selectAll()
    .where('wa_number', 'in', [...waNumbers])
    .orderBy('wa_number')
    .forUpdate()
    .skipLocked()
    .execute();
  return new Map(
    rows.map((row) => [
      row.wa_number,
      {
        clienteId: row.cliente_id,
        mode: row.modo,
        verificationStep: row.paso_verificacion,
        candidateClienteId: row.cliente_candidato_id,
        failedAttempts: row.intentos_fallidos,
        receiptPending: Boolean(row.comprobante_pendiente),
        notUnderstood: row.no_entendidos,
        pendingQuestion: row.pregunta_pendiente,
      },
    ]),
  );
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

/** The unprocessed messages of these numbers (their conversation rows must be locked), each number's in the order sent. */
export async function pendingMessages(trx: Kysely<Tables>, waNumbers: readonly string[], limit: number): Promise<PendingInbound[]> {
  if (waNumbers.length === 0) return [];
  return trx
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
    .where('c.from_number', 'in', [...waNumbers])
    .where('c.direccion', '=', 'INBOUND')
    .where('c.procesado', '=', false)
    .orderBy('c.timestamp')
    .orderBy('c.id')
    .limit(limit)
    .execute();
}

export interface ReplyRecord {
  inbound: PendingInbound;
  state: ConversationState;
  /** The reply as text (respuesta_bot, the OUTBOUND row's body) and as sent (JSON of the ClientMessage, stored in whatsapp_envios.contenido). */
  reply: { text: string; type: string; payload: string } | null;
  /** What the bot noted for the agents from this message. */
  notes?: readonly BotNote[];
}

/**
 * The OUTBOUND reply rows; returns inbound id → reply row id. PostgreSQL takes them in one INSERT …
 * RETURNING, whose rows come back in VALUES order (Django's bulk_create relies on the same); each
 * returned row is checked against its reply, and a mismatch aborts the transaction rather than link
 * a reply to the wrong message. MySQL has no RETURNING: one INSERT per row, reading LAST_INSERT_ID.
 */
async function insertReplyRows(
  trx: Kysely<Tables>,
  support: DialectSupport,
  records: readonly ReplyRecord[],
  now: Date,
): Promise<Map<number, number>> {
  const replied = records.flatMap(({ inbound, state, reply }) =>
    reply
      ? [
          {
            inboundId: inbound.id,
            values: {
              from_number: inbound.to_number,
              to_number: inbound.from_number,
              message_type: reply.type,
              body: reply.text,
              timestamp: now,
              direccion: 'OUTBOUND' as const,
              cliente_id: state.clienteId,
              procesado: true,
            },
          },
        ]
      : [],
  );
  const ids = new Map<number, number>();
  if (replied.length === 0) return ids;
  if (!support.supportsReturning) {
    for (const { inboundId, values } of replied)
      ids.set(inboundId, await insertReturningId(trx, support, 'conversaciones_whatsapp', values));
    return ids;
  }
  const rows = await trx
    .insertInto('conversaciones_whatsapp')
    .values(replied.map((r) => r.values))
    .returning(['id', 'to_number', 'body'])
    .execute();
  replied.forEach(({ inboundId, values }, i) => {
    const row = rows[i];
    if (!row || row.to_number !== values.to_number || row.body !== values.body) {
      throw new Error('INSERT … RETURNING gave the reply rows back in another order; the group is retried customer by customer');
    }
    ids.set(inboundId, row.id);
  });
  return ids;
}

/**
 * In the caller's transaction, for each message: the OUTBOUND reply row and its outbox entry, the
 * inbound row marked processed and pointing at its reply; then each conversation's new state (the
 * state after its last message), and a `mensaje` inbox event per reply row. Records are in the
 * order the messages were answered.
 */
export async function recordReplies(trx: Kysely<Tables>, support: DialectSupport, records: readonly ReplyRecord[]): Promise<void> {
  if (records.length === 0) return;
  const now = new Date();
  const replyIds = await insertReplyRows(trx, support, records, now);
  const replied = records.filter((r) => r.reply);
  if (replied.length > 0) {
    await trx
      .insertInto('whatsapp_envios')
      .values(
        replied.map(({ inbound, reply }) => ({
          conversacion_id: replyIds.get(inbound.id) as number,
          entrante_id: inbound.id,
          wa_number: inbound.from_number,
          contenido: (reply as { payload: string }).payload,
        })),
      )
      .execute();
    await recordEvents(
      trx,
      support,
      replied.map(({ inbound }) => ({
        tipo: 'mensaje',
        wa_number: inbound.from_number,
        conversacion_id: replyIds.get(inbound.id) as number,
        datos: { direccion: 'OUTBOUND' },
      })),
    );
  }
  const notes = records.flatMap(({ inbound, notes = [] }) =>
    notes.map((note) => ({
      wa_number: inbound.from_number,
      entrante_id: inbound.id,
      tipo: note.kind,
      valor: note.value.slice(0, 100),
      texto: note.text?.slice(0, 200) ?? null,
      creado_en: now,
    })),
  );
  if (notes.length > 0) await trx.insertInto('whatsapp_notas').values(notes).execute();
  const ids = records.map((r) => r.inbound.id);
  await trx
    .updateTable('conversaciones_whatsapp')
    .set({
      procesado: true,
      respuesta_bot: perRow(
        'id',
        'respuesta_bot',
        records.map((r) => [r.inbound.id, r.reply?.text ?? null] as const),
      ),
      respuesta_id: perRow(
        'id',
        'respuesta_id',
        records.map((r) => [r.inbound.id, replyIds.get(r.inbound.id) ?? null] as const),
      ),
      cliente_id: perRow(
        'id',
        'cliente_id',
        records.map((r) => [r.inbound.id, r.inbound.cliente_id ?? r.state.clienteId] as const),
      ),
      actualizado_en: now,
    })
    .where('id', 'in', ids)
    .execute();
  // Each conversation's state after its last message, and its newest inbound time, in one UPDATE.
  const last = new Map<string, ReplyRecord>();
  const profile = new Map<string, string>();
  const newest = new Map<string, Date>();
  for (const record of records) {
    const number = record.inbound.from_number;
    last.set(number, record);
    if (record.inbound.profile_name) profile.set(number, record.inbound.profile_name);
    const seen = newest.get(number);
    // A stored time no Date can hold (infinity, a zero date) leaves ultimo_entrante_en as it was.
    if (!Number.isNaN(record.inbound.timestamp.getTime()) && (!seen || seen < record.inbound.timestamp))
      newest.set(number, record.inbound.timestamp);
  }
  const states = [...last].map(([number, { state }]) => [number, state] as const);
  const each = <T extends string | number | boolean | Date | null>(
    column: string,
    value: (state: ConversationState, number: string) => T,
  ) =>
    perRow(
      'wa_number',
      column,
      states.map(([number, state]) => [number, value(state, number)] as const),
    );
  const inboundAt = each('ultimo_entrante_en', (_, number) => newest.get(number) ?? null);
  // The inbox's counters (revision 20261127_05): unread recounted, a new reply is not a failed one.
  const unread = [...(await unreadCounts(trx, [...last.keys()]))];
  const repliedNumbers = [...new Set(replied.map((r) => r.inbound.from_number))];
  // The bot handed these over (the rows are locked: their modo is still the one before this batch).
  const agentHeld = states.flatMap(([number, state]) => (state.mode === 'agente' ? [number] : []));
  if (agentHeld.length > 0) {
    const handedOver = await trx
      .selectFrom('whatsapp_conversaciones')
      .select('wa_number')
      .where('wa_number', 'in', agentHeld)
      .where('modo', '=', 'bot')
      .execute();
    await logHandoffs(
      trx,
      handedOver.map((row) => ({ waNumber: row.wa_number, to: 'agente' as const, reason: 'bot' as const, agentId: null, at: now })),
    );
    await recordEvents(
      trx,
      support,
      handedOver.map((row) => ({ tipo: 'conversacion', wa_number: row.wa_number, datos: { cambio: 'traspasada' } })),
    );
  }
  await trx
    .updateTable('whatsapp_conversaciones')
    .set({
      cliente_id: each('cliente_id', (s) => s.clienteId),
      modo: each('modo', (s) => s.mode),
      paso_verificacion: each('paso_verificacion', (s) => s.verificationStep),
      cliente_candidato_id: each('cliente_candidato_id', (s) => s.candidateClienteId),
      intentos_fallidos: each('intentos_fallidos', (s) => s.failedAttempts),
      comprobante_pendiente: each('comprobante_pendiente', (s) => s.receiptPending),
      no_entendidos: each('no_entendidos', (s) => s.notUnderstood),
      pregunta_pendiente: each('pregunta_pendiente', (s) => s.pendingQuestion),
      ...(profile.size > 0 ? { profile_name: perRow('wa_number', 'profile_name', [...profile]) } : {}),
      ultimo_entrante_en: sql<Date>`case when ultimo_entrante_en is null or ultimo_entrante_en < ${inboundAt} then ${inboundAt} else ultimo_entrante_en end`,
      ...(unread.length > 0 ? { no_leidos: perRow('wa_number', 'no_leidos', unread) } : {}),
      ...(repliedNumbers.length > 0
        ? {
            envio_fallido: perRow(
              'wa_number',
              'envio_fallido',
              repliedNumbers.map((n) => [n, false] as const),
            ),
          }
        : {}),
      actualizado_en: now,
    })
    .where(
      'wa_number',
      'in',
      states.map(([number]) => number),
    )
    .execute();
}

/**
 * Gives up on the oldest waiting message of `waNumber`, which could not be answered after several
 * attempts: it is marked processed, without a reply, with the reason in `error`, so the customer's
 * next messages are answered and the worker stops retrying it. Returns its id, or null if none.
 */
export async function skipOldestPending(db: Kysely<Tables>, waNumber: string, reason: string): Promise<number | null> {
  const oldest = await db
    .selectFrom('conversaciones_whatsapp')
    .select('id')
    .where('from_number', '=', waNumber)
    .where('direccion', '=', 'INBOUND')
    .where('procesado', '=', false)
    .orderBy('timestamp')
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
  if (!oldest) return null;
  await db
    .updateTable('conversaciones_whatsapp')
    .set({ procesado: true, error: reason, actualizado_en: new Date() })
    .where('id', '=', oldest.id)
    .where('procesado', '=', false)
    .execute();
  return oldest.id;
}
