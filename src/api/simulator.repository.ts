import type { Kysely } from 'kysely';
import type { Mode, Tables } from '../db/tables.js';

/**
 * The customer simulator's reads (sandbox mode): a number's chat as the customer's phone shows it,
 * a message of that chat, and the CRM customers of the demo numbers. The simulator writes nothing
 * itself: what the customer does goes through the signed webhook like Meta's deliveries.
 */

function chatRows(db: Kysely<Tables>) {
  return db
    .selectFrom('conversaciones_whatsapp as m')
    .leftJoin('whatsapp_mensajes_detalle as d', 'd.message_id', 'm.message_id')
    .leftJoin('whatsapp_envios as e', 'e.conversacion_id', 'm.id')
    .select([
      'm.id',
      'm.message_id',
      'm.direccion',
      'm.message_type',
      'm.body',
      'm.timestamp',
      'm.respuesta_id',
      'd.media_id',
      'd.media_mime_type',
      'd.reply_id',
      'd.metadata',
      'd.status',
      'e.contenido',
      'e.agente_id',
    ])
    .where('m.message_type', '<>', 'reaction');
}

export type ChatRow = Awaited<ReturnType<ReturnType<typeof chatRows>['execute']>>[number];

export interface ChatReaction {
  reaction_message_id: string;
  body: string | null;
}

export interface ChatState {
  modo: Mode;
  cliente_id: number | null;
  nombres: string | null;
  profile_name: string | null;
  leido_hasta_id: number | null;
}

/**
 * The newest `limit` messages of `waNumber` that its phone has: what the customer sent, and what
 * the business sent once Meta took it (an OUTBOUND row has a wamid only then). Oldest first, in the
 * order they were stored. Reactions are not bubbles: the customer's reactions come apart, newest last.
 */
export async function chatOf(
  db: Kysely<Tables>,
  waNumber: string,
  limit: number,
): Promise<{ rows: ChatRow[]; reactions: ChatReaction[]; state: ChatState | null; busy: boolean }> {
  const [sent, received, state, waiting, pending] = await Promise.all([
    chatRows(db)
      .where('m.from_number', '=', waNumber)
      .where('m.direccion', '=', 'INBOUND')
      .orderBy('m.timestamp', 'desc')
      .orderBy('m.id', 'desc')
      .limit(limit)
      .execute(),
    chatRows(db)
      .where('m.to_number', '=', waNumber)
      .where('m.direccion', '=', 'OUTBOUND')
      .where('m.message_id', 'is not', null)
      .orderBy('m.timestamp', 'desc')
      .orderBy('m.id', 'desc')
      .limit(limit)
      .execute(),
    db
      .selectFrom('whatsapp_conversaciones as c')
      .leftJoin('clientes as k', 'k.id', 'c.cliente_id')
      .select(['c.modo', 'c.cliente_id', 'k.nombres', 'c.profile_name', 'c.leido_hasta_id'])
      .where('c.wa_number', '=', waNumber)
      .executeTakeFirst(),
    db
      .selectFrom('conversaciones_whatsapp')
      .select('id')
      .where('from_number', '=', waNumber)
      .where('direccion', '=', 'INBOUND')
      .where('procesado', '=', false)
      .limit(1)
      .executeTakeFirst(),
    db
      .selectFrom('whatsapp_envios')
      .select('conversacion_id')
      .where('wa_number', '=', waNumber)
      .where('estado', '=', 'pendiente')
      .limit(1)
      .executeTakeFirst(),
  ]);
  const rows = [...sent, ...received]
    .sort((a, b) => b.timestamp.getTime() - a.timestamp.getTime() || b.id - a.id)
    .slice(0, limit)
    .sort((a, b) => a.id - b.id);
  const wamids = rows.flatMap((r) => (r.message_id ? [r.message_id] : []));
  const reactions =
    wamids.length === 0
      ? []
      : await db
          .selectFrom('conversaciones_whatsapp as m')
          .innerJoin('whatsapp_mensajes_detalle as d', 'd.message_id', 'm.message_id')
          .select(['d.reaction_message_id', 'm.body'])
          .where('d.reaction_message_id', 'in', wamids)
          .where('m.message_type', '=', 'reaction')
          .where('m.from_number', '=', waNumber)
          .orderBy('m.timestamp')
          .orderBy('m.id')
          .execute();
  return {
    rows,
    reactions: reactions.map((r) => ({ reaction_message_id: r.reaction_message_id as string, body: r.body })),
    state: state ?? null,
    busy: waiting !== undefined || pending !== undefined,
  };
}

/** A message of `waNumber`'s chat by its wamid, with what was sent for a business message (whatsapp_envios.contenido). */
export async function chatMessage(
  db: Kysely<Tables>,
  waNumber: string,
  wamid: string,
): Promise<{ direccion: 'INBOUND' | 'OUTBOUND'; contenido: string | null } | null> {
  const row = await db
    .selectFrom('conversaciones_whatsapp as m')
    .leftJoin('whatsapp_envios as e', 'e.conversacion_id', 'm.id')
    .select(['m.direccion', 'e.contenido'])
    .where('m.message_id', '=', wamid)
    .where((eb) =>
      eb.or([
        eb.and([eb('m.direccion', '=', 'INBOUND'), eb('m.from_number', '=', waNumber)]),
        eb.and([eb('m.direccion', '=', 'OUTBOUND'), eb('m.to_number', '=', waNumber)]),
      ]),
    )
    .where('m.message_type', '<>', 'reaction')
    .executeTakeFirst();
  return row ?? null;
}

/** The CRM customer each number identifies through the phone index (a number two customers share identifies nobody). */
export async function customersOfNumbers(
  db: Kysely<Tables>,
  numbers: readonly string[],
): Promise<Map<string, { id: number; nombres: string; cedula: string; fecha_nacimiento: string }>> {
  if (numbers.length === 0) return new Map();
  const rows = await db
    .selectFrom('clientes_telefonos as t')
    .innerJoin('clientes as c', 'c.id', 't.cliente_id')
    .select(['t.telefono', 'c.id', 'c.nombres', 'c.cedula', 'c.fecha_nacimiento'])
    .where('t.telefono', 'in', numbers)
    .execute();
  const found = new Map<string, { id: number; nombres: string; cedula: string; fecha_nacimiento: string } | null>();
  for (const row of rows) {
    const customer = { id: row.id, nombres: row.nombres, cedula: row.cedula, fecha_nacimiento: String(row.fecha_nacimiento) };
    found.set(row.telefono, found.has(row.telefono) && found.get(row.telefono)?.id !== row.id ? null : customer);
  }
  return new Map([...found].filter((entry): entry is [string, NonNullable<(typeof entry)[1]>] => entry[1] !== null));
}
