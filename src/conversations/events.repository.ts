import type { Kysely } from 'kysely';
import type { DialectSupport } from '../db/dialects/dialect-support.js';
import type { Tables } from '../db/tables.js';

/**
 * The inbox's events (`whatsapp_eventos`): one row per change agents should see at once, written
 * in the transaction of the change, read by the web process and pushed to the browsers
 * (`GET /api/v1/eventos`, docs/api.md "Live events"). An event says what changed and where; the
 * browser reads the change itself through the API.
 */

/**
 * `mensaje`: a message row was stored (inbound through the webhook, or outbound: the bot's reply,
 * an agent's message). `estado`: a message's delivery changed (Meta's status, or the sender's
 * outcome). `conversacion`: the conversation changed (taken over, returned to the bot, read,
 * receipt reviewed, linked to a customer).
 */
export type EventType = 'mensaje' | 'estado' | 'conversacion';

/** What changed in a conversation (`datos.cambio` of a `conversacion` event). */
export type ConversationChange = 'tomada' | 'devuelta' | 'leida' | 'comprobante_revisado' | 'vinculada';

/** An event's details: a small JSON object (`direccion`, `status`, `envio`, `cambio`…). */
export type EventDetails = Record<string, string | number | boolean | null>;

export interface NewEvent {
  tipo: EventType;
  /** The conversation's WhatsApp number (Meta's digits). */
  wa_number: string;
  /** The message row (`conversaciones_whatsapp.id`) the event is about, if any. */
  conversacion_id?: number | null;
  datos?: EventDetails | null;
}

export interface StoredEvent {
  id: number;
  tipo: EventType;
  wa_number: string;
  conversacion_id: number | null;
  datos: EventDetails | null;
  creado_en: Date;
}

/** Rows per INSERT (5 parameters a row, far under every driver's limit). */
const ROWS_PER_STATEMENT = 1000;

/**
 * Records `events` in the caller's transaction, one multi-row INSERT (per 1,000), which on
 * PostgreSQL and PGlite also notifies the listening web processes at commit. Call it inside the
 * transaction that makes the change, so that the event exists exactly when the change does.
 */
export async function recordEvents(trx: Kysely<Tables>, support: DialectSupport, events: readonly NewEvent[]): Promise<void> {
  for (let i = 0; i < events.length; i += ROWS_PER_STATEMENT) {
    const chunk = events.slice(i, i + ROWS_PER_STATEMENT);
    await support
      .wakeEventListeners(
        trx.insertInto('whatsapp_eventos').values(
          chunk.map((e) => ({
            tipo: e.tipo,
            wa_number: e.wa_number,
            conversacion_id: e.conversacion_id ?? null,
            datos: e.datos ? JSON.stringify(e.datos) : null,
          })),
        ),
      )
      .execute();
  }
}

/** The events after `afterId`, and those of `alsoIds` (ids awaited below it), oldest first, at most `limit`. */
export async function eventsAfter(
  db: Kysely<Tables>,
  afterId: number,
  limit: number,
  alsoIds: readonly number[] = [],
): Promise<StoredEvent[]> {
  const rows = await db
    .selectFrom('whatsapp_eventos')
    .select(['id', 'tipo', 'wa_number', 'conversacion_id', 'datos', 'creado_en'])
    .where((eb) => (alsoIds.length === 0 ? eb('id', '>', afterId) : eb.or([eb('id', '>', afterId), eb('id', 'in', [...alsoIds])])))
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: Number(r.id),
    tipo: r.tipo as EventType,
    wa_number: r.wa_number,
    conversacion_id: r.conversacion_id === null ? null : Number(r.conversacion_id),
    datos: parseDetails(r.datos),
    creado_en: r.creado_en,
  }));
}

function parseDetails(text: string | null): EventDetails | null {
  if (text === null) return null;
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as EventDetails) : null;
  } catch {
    return null;
  }
}

/** The oldest and newest event ids kept (null: none). */
export async function eventIdRange(db: Kysely<Tables>): Promise<{ oldest: number | null; newest: number | null }> {
  const row = await db
    .selectFrom('whatsapp_eventos')
    .select((eb) => [eb.fn.min('id').as('oldest'), eb.fn.max('id').as('newest')])
    .executeTakeFirst();
  const id = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));
  return { oldest: id(row?.oldest), newest: id(row?.newest) };
}

/**
 * Deletes the events created before `before`, `batchSize` rows per statement (along the
 * `creado_en` index), at most `maxBatches` statements; returns how many went. The newest event is
 * always kept, so that a reconnecting browser can tell "nothing happened" from "what happened was
 * deleted" (`Last-Event-ID` older than the oldest kept).
 */
export async function pruneEvents(db: Kysely<Tables>, before: Date, batchSize = 1000, maxBatches = 100): Promise<number> {
  const { newest } = await eventIdRange(db);
  if (newest === null) return 0;
  let deleted = 0;
  for (let batch = 0; batch < maxBatches; batch++) {
    const ids = (
      await db
        .selectFrom('whatsapp_eventos')
        .select('id')
        .where('creado_en', '<', before)
        .where('id', '<', newest)
        .orderBy('creado_en')
        .limit(batchSize)
        .execute()
    ).map((r) => Number(r.id));
    if (ids.length === 0) break;
    const result = await db.deleteFrom('whatsapp_eventos').where('id', 'in', ids).executeTakeFirst();
    deleted += Number(result.numDeletedRows);
    if (ids.length < batchSize) break;
  }
  return deleted;
}

/**
 * Where the database cannot return the rows an INSERT made (MySQL), the `mensaje` events of the
 * INBOUND rows just stored: the rows of `messageIds` whose id is at least the statement's first
 * generated id (`firstNewId`, its insert id; 0 when it stored none). Rows stored before (a
 * redelivery) have lower ids, so they get no second event.
 */
export async function newInboundEvents(trx: Kysely<Tables>, messageIds: readonly string[], firstNewId: number): Promise<NewEvent[]> {
  if (messageIds.length === 0 || !(firstNewId > 0)) return [];
  const rows = await trx
    .selectFrom('conversaciones_whatsapp')
    .select(['id', 'from_number'])
    .where('message_id', 'in', [...messageIds])
    .where('direccion', '=', 'INBOUND')
    .where('id', '>=', firstNewId)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ tipo: 'mensaje', wa_number: r.from_number, conversacion_id: r.id, datos: { direccion: 'INBOUND' } }));
}
