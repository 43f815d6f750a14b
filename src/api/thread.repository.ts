import type { ExpressionBuilder, Kysely } from 'kysely';
import { isMediaPlaceholder } from '../conversations/media-placeholder.js';
import type { Tables } from '../db/tables.js';
import type { Author, ThreadMessage } from './inbox.schemas.js';
import { isoTimestamp } from './message-row.js';

/**
 * A number's thread for the inbox: both directions along the (from_number, timestamp, id) and
 * (to_number, timestamp, id) indexes, each side read with its details, outbox entry and agent in
 * one query, the two merged; then the reactions to the page's messages and the quoted messages, in
 * parallel. Reaction messages are not bubbles: they are shown on the message they react to.
 */

type Side = 'from_number' | 'to_number';
type Eb = ExpressionBuilder<
  Tables & {
    m: Tables['conversaciones_whatsapp'];
    d: Tables['whatsapp_mensajes_detalle'];
    e: Tables['whatsapp_envios'];
    a: Tables['charla_agentes'];
  },
  'm' | 'd' | 'e' | 'a'
>;

/** A pivot row's (timestamp, id) position: its timestamp read in SQL, so microseconds are kept. */
function relativeTo(eb: Eb, pivot: number, direction: 'older' | 'newer') {
  const at = eb.selectFrom('conversaciones_whatsapp as p').select('p.timestamp').where('p.id', '=', pivot);
  return direction === 'older'
    ? eb.and([eb('m.timestamp', '<=', at), eb.or([eb('m.timestamp', '<', at), eb('m.id', '<', pivot)])])
    : eb.and([eb('m.timestamp', '>=', at), eb.or([eb('m.timestamp', '>', at), eb('m.id', '>', pivot)])]);
}

function rowsQuery(db: Kysely<Tables>) {
  return db
    .selectFrom('conversaciones_whatsapp as m')
    .leftJoin('whatsapp_mensajes_detalle as d', 'd.message_id', 'm.message_id')
    .leftJoin('whatsapp_envios as e', 'e.conversacion_id', 'm.id')
    .leftJoin('charla_agentes as a', 'a.id', 'e.agente_id')
    .select([
      'm.id',
      'm.message_id',
      'm.direccion',
      'm.message_type',
      'm.body',
      'm.timestamp',
      'm.error',
      'd.media_id',
      'd.media_mime_type',
      'd.context_message_id',
      'd.reply_id',
      'd.metadata',
      'd.status',
      'e.estado as envio',
      'e.agente_id',
      'e.contenido',
      'a.nombre as agente_nombre',
    ]);
}

type Row = Awaited<ReturnType<ReturnType<typeof rowsQuery>['execute']>>[number];

/** `limit` bubbles of one side, older or newer than `pivot` (the newest when there is none). */
async function side(db: Kysely<Tables>, waNumber: string, column: Side, direction: 'older' | 'newer', limit: number, pivot?: number) {
  let query = rowsQuery(db).where(`m.${column}`, '=', waNumber).where('m.message_type', '<>', 'reaction');
  if (pivot !== undefined) query = query.where((eb) => relativeTo(eb as unknown as Eb, pivot, direction));
  const order = direction === 'older' ? 'desc' : 'asc';
  return query.orderBy('m.timestamp', order).orderBy('m.id', order).limit(limit).execute();
}

const byPosition = (a: Row, b: Row): number => (a.timestamp.getTime() || 0) - (b.timestamp.getTime() || 0) || a.id - b.id;

/** Both sides' `limit` rows in one direction from `pivot`, nearest first, and whether there are more. */
async function bothSides(db: Kysely<Tables>, waNumber: string, direction: 'older' | 'newer', limit: number, pivot?: number) {
  if (limit <= 0) return { rows: [] as Row[], more: pivot !== undefined };
  const [from, to] = await Promise.all([
    side(db, waNumber, 'from_number', direction, limit + 1, pivot),
    side(db, waNumber, 'to_number', direction, limit + 1, pivot),
  ]);
  const merged = [...from, ...to].sort(direction === 'older' ? (a, b) => byPosition(b, a) : byPosition);
  return { rows: merged.slice(0, limit), more: merged.length > limit };
}

export function encodeThreadCursor(id: number): string {
  return Buffer.from(`m${id}`).toString('base64url');
}

/** A cursor this API returned → its message id; null when it is not one. */
export function decodeThreadCursor(text: string): number | null {
  const match = /^m(\d{1,10})$/.exec(Buffer.from(text, 'base64url').toString());
  const id = match ? Number(match[1]) : NaN;
  return Number.isSafeInteger(id) && id >= 1 && id <= 2 ** 31 - 1 ? id : null;
}

/** Whether message `id` belongs to the number's thread (`alrededor`). */
export async function messageInThread(db: Kysely<Tables>, waNumber: string, id: number): Promise<boolean> {
  const row = await db
    .selectFrom('conversaciones_whatsapp')
    .select('id')
    .where('id', '=', id)
    .where((eb) => eb.or([eb('from_number', '=', waNumber), eb('to_number', '=', waNumber)]))
    .executeTakeFirst();
  return row !== undefined;
}

export type ThreadRequest = { limit: number } & (
  | { before?: undefined; after?: undefined; around?: undefined }
  | { before: number; after?: undefined; around?: undefined }
  | { after: number; before?: undefined; around?: undefined }
  | { around: number; before?: undefined; after?: undefined }
);

/** A page of the thread, oldest first, with the cursors to go on either way. */
export async function threadPage(
  db: Kysely<Tables>,
  waNumber: string,
  request: ThreadRequest,
): Promise<{ mensajes: ThreadMessage[]; cursor_anterior: string | null; cursor_siguiente: string | null }> {
  let page: Row[];
  let older = false;
  let newer = false;
  if (request.around !== undefined) {
    const half = Math.floor(request.limit / 2);
    const [before, pivot, after] = await Promise.all([
      bothSides(db, waNumber, 'older', half, request.around),
      rowsQuery(db).where('m.id', '=', request.around).execute(),
      bothSides(db, waNumber, 'newer', request.limit - half - 1, request.around),
    ]);
    page = [...before.rows.reverse(), ...pivot, ...after.rows];
    older = before.more;
    newer = after.more;
  } else if (request.after !== undefined) {
    const after = await bothSides(db, waNumber, 'newer', request.limit, request.after);
    page = after.rows;
    older = true;
    newer = after.more;
  } else {
    const before = await bothSides(db, waNumber, 'older', request.limit, request.before);
    page = before.rows.reverse();
    older = before.more;
  }
  const first = page[0];
  const last = page.at(-1);
  return {
    mensajes: await toThreadMessages(db, page),
    cursor_anterior: older && first ? encodeThreadCursor(first.id) : null,
    cursor_siguiente: newer && last ? encodeThreadCursor(last.id) : null,
  };
}

const MEDIA_TYPES = new Set(['image', 'video', 'audio', 'document', 'sticker']);
/** The bodies the webhook gives media without a caption (docs/webhook.md). */
/** The body of a reaction the customer took back. */
const REACTION_REMOVED = '[reacción eliminada]';
const STATUSES = new Set(['sent', 'delivered', 'read', 'failed']);
const SNIPPET = 200;

function authorOf(row: Row): Author {
  if (row.direccion === 'INBOUND') return 'cliente';
  if (row.message_type === 'template' || isTemplate(row.contenido)) return 'plantilla';
  return row.agente_id !== null ? 'agente' : 'bot';
}

function isTemplate(contenido: string | null): boolean {
  if (!contenido) return false;
  try {
    return (JSON.parse(contenido) as { kind?: unknown }).kind === 'template';
  } catch {
    return false;
  }
}

function filenameOf(metadata: string | null): string | null {
  if (!metadata) return null;
  try {
    const filename = (JSON.parse(metadata) as { filename?: unknown }).filename;
    return typeof filename === 'string' ? filename : null;
  } catch {
    return null;
  }
}

/** `131026 Message undeliverable: …` (the webhook's and the sender's form) → Meta's code and the rest. */
export function parseError(text: string | null): { code: number | null; title: string } | null {
  if (text === null || text === '') return null;
  const match = /^(\d{1,9}) (.*)$/s.exec(text);
  return match ? { code: Number(match[1]), title: match[2] as string } : { code: null, title: text };
}

async function toThreadMessages(db: Kysely<Tables>, rows: readonly Row[]): Promise<ThreadMessage[]> {
  const wamids = rows.flatMap((r) => (r.message_id ? [r.message_id] : []));
  const quoted = [...new Set(rows.flatMap((r) => (r.context_message_id ? [r.context_message_id] : [])))];
  const [reactions, contexts] = await Promise.all([
    wamids.length === 0
      ? []
      : db
          .selectFrom('whatsapp_mensajes_detalle as d')
          .innerJoin('conversaciones_whatsapp as m', 'm.message_id', 'd.message_id')
          .select(['d.reaction_message_id', 'm.id', 'm.body', 'm.timestamp', 'm.direccion', 'm.from_number'])
          .where('d.reaction_message_id', 'in', wamids)
          .where('m.message_type', '=', 'reaction')
          .orderBy('m.timestamp')
          .orderBy('m.id')
          .execute(),
    quoted.length === 0
      ? []
      : db
          .selectFrom('conversaciones_whatsapp')
          .select(['id', 'message_id', 'direccion', 'body'])
          .where('message_id', 'in', quoted)
          .execute(),
  ]);
  // Each sender's latest reaction to a message replaces the earlier ones; an empty one takes it back.
  const current = new Map<string, Map<string, ThreadMessage['reacciones'][number] | null>>();
  for (const reaction of reactions) {
    const target = reaction.reaction_message_id as string;
    const bySender = current.get(target) ?? new Map<string, ThreadMessage['reacciones'][number] | null>();
    current.set(target, bySender);
    bySender.set(
      `${reaction.direccion}:${reaction.from_number}`,
      reaction.body === null || reaction.body === '' || reaction.body === REACTION_REMOVED
        ? null
        : {
            emoji: reaction.body,
            autor: reaction.direccion === 'INBOUND' ? 'cliente' : 'bot',
            timestamp: isoTimestamp(reaction.timestamp),
          },
    );
  }
  const quotedById = new Map(contexts.map((c) => [c.message_id as string, c] as const));
  return rows.map((row) => {
    const quote = row.context_message_id ? quotedById.get(row.context_message_id) : undefined;
    const media = row.direccion === 'INBOUND' && MEDIA_TYPES.has(row.message_type);
    return {
      id: row.id,
      message_id: row.message_id,
      direccion: row.direccion,
      message_type: row.message_type,
      body: row.body,
      timestamp: isoTimestamp(row.timestamp),
      autor: authorOf(row),
      agente: row.agente_id !== null && row.agente_nombre !== null ? { id: row.agente_id, nombre: row.agente_nombre } : null,
      status:
        row.direccion === 'OUTBOUND' && row.status !== null && STATUSES.has(row.status) ? (row.status as ThreadMessage['status']) : null,
      envio: row.envio ?? null,
      error: parseError(row.error),
      media: media
        ? {
            media_id: row.media_id,
            media_mime_type: row.media_mime_type,
            filename: filenameOf(row.metadata),
            caption: row.body !== null && !isMediaPlaceholder(row.body) ? row.body : null,
          }
        : null,
      reacciones: [...(current.get(row.message_id ?? '')?.values() ?? [])].filter((r) => r !== null),
      contexto: row.context_message_id
        ? {
            message_id: row.context_message_id,
            id: quote?.id ?? null,
            direccion: quote?.direccion ?? null,
            body: quote?.body?.slice(0, SNIPPET) ?? null,
          }
        : null,
      respuesta_interactiva: row.reply_id !== null ? { id: row.reply_id, title: row.body } : null,
    };
  });
}
