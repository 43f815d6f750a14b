import type { Kysely } from 'kysely';
import type { Mode, Tables, VerificationStep } from '../db/tables.js';
import { isoTimestamp, MESSAGE_COLUMNS, toMessageRow, type MessageRow } from './message-row.js';

/** One WhatsApp number as the inbox lists it: the fields carry the columns' names (docs/glossary.md). */
export interface ConversationEntry {
  wa_number: string;
  cliente: { id: number; nombres: string } | null;
  profile_name: string | null;
  modo: Mode;
  agente_id: number | null;
  comprobante_pendiente: boolean;
  paso_verificacion: VerificationStep | null;
  ultimo_entrante_en: string | null;
  no_leidos: number;
  ultimo_mensaje: MessageRow | null;
}

type ConversationRow = {
  wa_number: string;
  cliente_id: number | null;
  profile_name: string | null;
  modo: Mode;
  agente_id: number | null;
  comprobante_pendiente: boolean | number;
  paso_verificacion: VerificationStep | null;
  ultimo_entrante_en: Date | null;
  leido_hasta_id: number | null;
};

const CONVERSATION_COLUMNS = [
  'wa_number',
  'cliente_id',
  'profile_name',
  'modo',
  'agente_id',
  'comprobante_pendiente',
  'paso_verificacion',
  'ultimo_entrante_en',
  'leido_hasta_id',
] as const;

/** Each entry's last message and unread count, read along the (number, timestamp, id) indexes. */
async function entries(db: Kysely<Tables>, rows: ConversationRow[]): Promise<ConversationEntry[]> {
  const ids = rows.flatMap((r) => (r.cliente_id === null ? [] : [r.cliente_id]));
  const names = new Map(
    ids.length === 0
      ? []
      : (await db.selectFrom('clientes').select(['id', 'nombres']).where('id', 'in', ids).execute()).map((c) => [c.id, c] as const),
  );
  return Promise.all(
    rows.map(async (row) => {
      const [lastFrom, lastTo, unread] = await Promise.all([
        db
          .selectFrom('conversaciones_whatsapp')
          .select(MESSAGE_COLUMNS)
          .where('from_number', '=', row.wa_number)
          .orderBy('timestamp', 'desc')
          .orderBy('id', 'desc')
          .limit(1)
          .executeTakeFirst(),
        db
          .selectFrom('conversaciones_whatsapp')
          .select(MESSAGE_COLUMNS)
          .where('to_number', '=', row.wa_number)
          .orderBy('timestamp', 'desc')
          .orderBy('id', 'desc')
          .limit(1)
          .executeTakeFirst(),
        db
          .selectFrom('conversaciones_whatsapp')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .where('from_number', '=', row.wa_number)
          .where('direccion', '=', 'INBOUND')
          .where('id', '>', row.leido_hasta_id ?? 0)
          .executeTakeFirstOrThrow(),
      ]);
      const newest = [lastFrom, lastTo]
        .filter((m) => m !== undefined)
        .sort((a, b) => (b.timestamp.getTime() || 0) - (a.timestamp.getTime() || 0) || b.id - a.id)[0];
      return {
        wa_number: row.wa_number,
        cliente: row.cliente_id === null ? null : (names.get(row.cliente_id) ?? null),
        profile_name: row.profile_name,
        modo: row.modo,
        agente_id: row.agente_id,
        comprobante_pendiente: Boolean(row.comprobante_pendiente),
        paso_verificacion: row.paso_verificacion,
        ultimo_entrante_en: isoTimestamp(row.ultimo_entrante_en),
        no_leidos: Number(unread.n),
        ultimo_mensaje: newest ? toMessageRow(newest) : null,
      };
    }),
  );
}

export interface ConversationFilter {
  mode?: Mode;
  receiptPending?: boolean;
}

/** The inbox's list: one entry per number, the most recent customer activity first, `limit` after `before`. */
export async function listConversations(
  db: Kysely<Tables>,
  filter: ConversationFilter,
  limit: number,
  before?: { at: Date; waNumber: string },
): Promise<{ entries: ConversationEntry[]; next: { at: Date; waNumber: string } | null }> {
  let query = db.selectFrom('whatsapp_conversaciones').select(CONVERSATION_COLUMNS).where('ultimo_entrante_en', 'is not', null);
  if (filter.mode) query = query.where('modo', '=', filter.mode);
  if (filter.receiptPending !== undefined) query = query.where('comprobante_pendiente', '=', filter.receiptPending);
  if (before) {
    query = query.where((eb) =>
      eb.or([
        eb('ultimo_entrante_en', '<', before.at),
        eb.and([eb('ultimo_entrante_en', '=', before.at), eb('wa_number', '<', before.waNumber)]),
      ]),
    );
  }
  const rows = (await query.orderBy('ultimo_entrante_en', 'desc').orderBy('wa_number', 'desc').limit(limit).execute()) as ConversationRow[];
  const last = rows.at(-1);
  return {
    entries: await entries(db, rows),
    next: last && rows.length === limit ? { at: last.ultimo_entrante_en as Date, waNumber: last.wa_number } : null,
  };
}

/** Whether the inbox knows this number (it has a `whatsapp_conversaciones` row). */
export async function conversationExists(db: Kysely<Tables>, waNumber: string): Promise<boolean> {
  const found = await db.selectFrom('whatsapp_conversaciones').select('wa_number').where('wa_number', '=', waNumber).executeTakeFirst();
  return found !== undefined;
}

export async function conversationOf(db: Kysely<Tables>, waNumber: string): Promise<ConversationEntry | null> {
  const row = await db
    .selectFrom('whatsapp_conversaciones')
    .select(CONVERSATION_COLUMNS)
    .where('wa_number', '=', waNumber)
    .executeTakeFirst();
  return row ? ((await entries(db, [row]))[0] ?? null) : null;
}

/** Agents have read the number's thread up to its newest message (or `upToId`). */
export async function markRead(db: Kysely<Tables>, waNumber: string, upToId?: number): Promise<void> {
  const newest =
    upToId ??
    Number(
      (
        await db
          .selectFrom('conversaciones_whatsapp')
          .select((eb) => eb.fn.max('id').as('id'))
          .where('from_number', '=', waNumber)
          .executeTakeFirst()
      )?.id ?? 0,
    );
  await db
    .updateTable('whatsapp_conversaciones')
    .set({ leido_hasta_id: newest })
    .where('wa_number', '=', waNumber)
    .where((eb) => eb.or([eb('leido_hasta_id', 'is', null), eb('leido_hasta_id', '<', newest)]))
    .execute();
}

/** Who holds the conversation: an agent (the bot goes quiet) or the bot again. */
export async function setMode(db: Kysely<Tables>, waNumber: string, mode: Mode, agentId: number | null): Promise<void> {
  await db
    .updateTable('whatsapp_conversaciones')
    .set({ modo: mode, agente_id: mode === 'agente' ? agentId : null, actualizado_en: new Date() })
    .where('wa_number', '=', waNumber)
    .execute();
}

export async function resolveReceipt(db: Kysely<Tables>, waNumber: string): Promise<void> {
  await db
    .updateTable('whatsapp_conversaciones')
    .set({ comprobante_pendiente: false, actualizado_en: new Date() })
    .where('wa_number', '=', waNumber)
    .execute();
}
