import { sql, type ExpressionBuilder, type Kysely } from 'kysely';
import { SERVICE_WINDOW_MS } from '../conversations/service-window.js';
import type { Mode, Tables, VerificationStep } from '../db/tables.js';
import { WINDOW_CLOSING_SOON_MS, type ConversationEntry, type InboxFilter, type InboxSummary } from './inbox.schemas.js';
import { isoTimestamp, MESSAGE_COLUMNS, toMessageRow } from './message-row.js';

export type { ConversationEntry } from './inbox.schemas.js';

/**
 * The inbox's list in two statements whatever the page size: the conversations with their
 * customer's and agent's names (joins), the ids of their last message each way (two correlated
 * index probes) and the counters kept on the row (`no_leidos`, `envio_fallido`: revision
 * 20261127_05); then the last messages by primary key.
 */

export interface ListFilter {
  filtro: InboxFilter;
  mode?: Mode;
  receiptPending?: boolean;
  /** The signed-in agent (`mias`); null for an API token, which holds no conversation. */
  agentId: number | null;
  now: Date;
}

/** Where the list continues: the last entry's `ultimo_entrante_en` (to the millisecond) and number. */
export interface ListCursor {
  at: Date;
  waNumber: string;
}

type Eb = ExpressionBuilder<Tables & { c: Tables['whatsapp_conversaciones'] }, 'c'>;

/** The window closes within WINDOW_CLOSING_SOON_MS: the customer wrote between 24 h and 22 h ago. */
function closingWindow(now: Date): { after: Date; upTo: Date } {
  return {
    after: new Date(now.getTime() - SERVICE_WINDOW_MS),
    upTo: new Date(now.getTime() - SERVICE_WINDOW_MS + WINDOW_CLOSING_SOON_MS),
  };
}

function filterCondition(eb: Eb, filter: ListFilter) {
  switch (filter.filtro) {
    case 'todas':
      return eb.lit(true);
    case 'mias':
      return filter.agentId === null ? eb.lit(false) : eb('c.agente_id', '=', filter.agentId);
    case 'sin_identificar':
      return eb('c.cliente_id', 'is', null);
    case 'comprobante':
      return eb('c.comprobante_pendiente', '=', true);
    case 'ventana': {
      const window = closingWindow(filter.now);
      return eb.and([eb('c.ultimo_entrante_en', '>', window.after), eb('c.ultimo_entrante_en', '<=', window.upTo)]);
    }
    case 'fallidos':
      return eb('c.envio_fallido', '=', true);
  }
}

/**
 * Rows after the cursor in (ultimo_entrante_en desc, wa_number desc) order. Stored times may carry
 * microseconds a cursor cannot: when the cursor's conversation still has the time the cursor saw
 * (to the millisecond), its exact stored value is compared; otherwise the cursor's millisecond.
 */
function afterCursor(eb: Eb, cursor: ListCursor) {
  const exact = eb.fn.coalesce(
    eb
      .selectFrom('whatsapp_conversaciones as k')
      .select('k.ultimo_entrante_en')
      .where('k.wa_number', '=', cursor.waNumber)
      .where('k.ultimo_entrante_en', '>=', cursor.at)
      .where('k.ultimo_entrante_en', '<', new Date(cursor.at.getTime() + 1)),
    sql<Date>`${cursor.at}`,
  );
  return eb.and([
    eb('c.ultimo_entrante_en', '<=', exact),
    eb.or([eb('c.ultimo_entrante_en', '<', exact), eb('c.wa_number', '<', cursor.waNumber)]),
  ]);
}

const SELECTED = [
  'c.wa_number',
  'c.cliente_id',
  'c.profile_name',
  'c.modo',
  'c.agente_id',
  'c.comprobante_pendiente',
  'c.paso_verificacion',
  'c.ultimo_entrante_en',
  'c.no_leidos',
  'c.envio_fallido',
  'cl.nombres as cliente_nombres',
  'a.nombre as agente_nombre',
] as const;

interface ListedRow {
  wa_number: string;
  cliente_id: number | null;
  profile_name: string | null;
  modo: Mode;
  agente_id: number | null;
  comprobante_pendiente: boolean | number;
  paso_verificacion: VerificationStep | null;
  ultimo_entrante_en: Date | null;
  no_leidos: number | string;
  envio_fallido: boolean | number;
  cliente_nombres: string | null;
  agente_nombre: string | null;
  ultimo_de: number | null;
  ultimo_a: number | null;
}

function baseQuery(db: Kysely<Tables>) {
  return db
    .selectFrom('whatsapp_conversaciones as c')
    .leftJoin('clientes as cl', 'cl.id', 'c.cliente_id')
    .leftJoin('charla_agentes as a', 'a.id', 'c.agente_id')
    .select(SELECTED)
    .select((eb) => [
      eb
        .selectFrom('conversaciones_whatsapp as f')
        .select('f.id')
        .whereRef('f.from_number', '=', 'c.wa_number')
        .orderBy('f.timestamp', 'desc')
        .orderBy('f.id', 'desc')
        .limit(1)
        .as('ultimo_de'),
      eb
        .selectFrom('conversaciones_whatsapp as t')
        .select('t.id')
        .whereRef('t.to_number', '=', 'c.wa_number')
        .orderBy('t.timestamp', 'desc')
        .orderBy('t.id', 'desc')
        .limit(1)
        .as('ultimo_a'),
    ]);
}

/** The rows as entries: the last message of each (the newer of its two candidates) read by id in one query. */
async function toEntries(db: Kysely<Tables>, rows: readonly ListedRow[]): Promise<ConversationEntry[]> {
  const ids = rows.flatMap((r) => [r.ultimo_de, r.ultimo_a]).filter((id): id is number => id !== null);
  const messages = new Map(
    ids.length === 0
      ? []
      : (await db.selectFrom('conversaciones_whatsapp').select(MESSAGE_COLUMNS).where('id', 'in', ids).execute()).map(
          (m) => [m.id, m] as const,
        ),
  );
  return rows.map((row) => {
    const newest = [row.ultimo_de, row.ultimo_a]
      .map((id) => (id === null ? undefined : messages.get(id)))
      .filter((m) => m !== undefined)
      .sort((a, b) => (b.timestamp.getTime() || 0) - (a.timestamp.getTime() || 0) || b.id - a.id)[0];
    const lastInbound = row.ultimo_entrante_en;
    const closes =
      lastInbound instanceof Date && !Number.isNaN(lastInbound.getTime()) ? new Date(lastInbound.getTime() + SERVICE_WINDOW_MS) : null;
    return {
      wa_number: row.wa_number,
      cliente: row.cliente_id === null || row.cliente_nombres === null ? null : { id: row.cliente_id, nombres: row.cliente_nombres },
      sin_identificar: row.cliente_id === null,
      profile_name: row.profile_name,
      modo: row.modo,
      agente_id: row.agente_id,
      agente: row.agente_id === null || row.agente_nombre === null ? null : { id: row.agente_id, nombre: row.agente_nombre },
      comprobante_pendiente: Boolean(row.comprobante_pendiente),
      paso_verificacion: row.paso_verificacion,
      ultimo_entrante_en: isoTimestamp(row.ultimo_entrante_en),
      ventana_cierra_en: isoTimestamp(closes),
      envio_fallido: Boolean(row.envio_fallido),
      no_leidos: Number(row.no_leidos),
      ultimo_mensaje: newest ? toMessageRow(newest) : null,
    };
  });
}

/** The inbox's list: the conversations whose customer wrote, most recent first, `limit` after `cursor`. */
export async function listConversations(
  db: Kysely<Tables>,
  filter: ListFilter,
  limit: number,
  cursor?: ListCursor,
): Promise<{ entries: ConversationEntry[]; next: ListCursor | null }> {
  let query = baseQuery(db)
    .where('c.ultimo_entrante_en', 'is not', null)
    .where((eb) => filterCondition(eb, filter));
  if (filter.mode) query = query.where('c.modo', '=', filter.mode);
  if (filter.receiptPending !== undefined) query = query.where('c.comprobante_pendiente', '=', filter.receiptPending);
  if (cursor) query = query.where((eb) => afterCursor(eb, cursor));
  const rows = (await query.orderBy('c.ultimo_entrante_en', 'desc').orderBy('c.wa_number', 'desc').limit(limit).execute()) as ListedRow[];
  const last = rows.at(-1);
  return {
    entries: await toEntries(db, rows),
    next: last?.ultimo_entrante_en && rows.length === limit ? { at: last.ultimo_entrante_en, waNumber: last.wa_number } : null,
  };
}

/** One conversation as the list shows it (null: the inbox does not know the number). */
export async function conversationOf(db: Kysely<Tables>, waNumber: string): Promise<ConversationEntry | null> {
  const row = (await baseQuery(db).where('c.wa_number', '=', waNumber).executeTakeFirst()) as ListedRow | undefined;
  return row ? ((await toEntries(db, [row]))[0] ?? null) : null;
}

/**
 * The filter badges and the page title in one pass over the conversations the list shows (100,000
 * narrow rows: a few milliseconds); the unread total is the sum of the kept counters.
 */
export async function inboxSummary(db: Kysely<Tables>, agentId: number | null, now: Date): Promise<InboxSummary> {
  const window = closingWindow(now);
  const count = (condition: ReturnType<typeof sql<boolean>>) => sql<string | number>`sum(case when ${condition} then 1 else 0 end)`;
  const row = await db
    .selectFrom('whatsapp_conversaciones as c')
    .select((eb) => [
      eb.fn.countAll<string | number>().as('todas'),
      count(agentId === null ? sql<boolean>`1 = 0` : sql<boolean>`c.agente_id = ${agentId}`).as('mias'),
      count(sql<boolean>`c.cliente_id is null`).as('sin_identificar'),
      count(sql<boolean>`c.comprobante_pendiente = ${true}`).as('comprobante'),
      count(sql<boolean>`c.ultimo_entrante_en > ${window.after} and c.ultimo_entrante_en <= ${window.upTo}`).as('ventana'),
      count(sql<boolean>`c.envio_fallido = ${true}`).as('fallidos'),
      eb.fn.sum<string | number | null>('c.no_leidos').as('no_leidos_total'),
    ])
    .where('c.ultimo_entrante_en', 'is not', null)
    .executeTakeFirstOrThrow();
  return {
    todas: Number(row.todas),
    mias: Number(row.mias ?? 0),
    sin_identificar: Number(row.sin_identificar ?? 0),
    comprobante: Number(row.comprobante ?? 0),
    ventana: Number(row.ventana ?? 0),
    fallidos: Number(row.fallidos ?? 0),
    no_leidos_total: Number(row.no_leidos_total ?? 0),
  };
}
