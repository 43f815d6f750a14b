import type { Kysely } from 'kysely';
import type { BotNoteKind, Tables } from '../db/tables.js';

/** A note the bot left for the agents, as `whatsapp_notas` keeps it. */
export interface StoredBotNote {
  id: number;
  kind: BotNoteKind;
  value: string;
  text: string | null;
  /** The inbound message it was read from. */
  inboundId: number | null;
  at: Date;
}

/** The newest `limit` notes the bot left for the agents about a number, newest first. */
export async function botNotesOf(db: Kysely<Tables>, waNumber: string, limit: number): Promise<StoredBotNote[]> {
  const rows = await db
    .selectFrom('whatsapp_notas')
    .select(['id', 'tipo', 'valor', 'texto', 'entrante_id', 'creado_en'])
    .where('wa_number', '=', waNumber)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: r.id, kind: r.tipo, value: r.valor, text: r.texto, inboundId: r.entrante_id, at: r.creado_en }));
}

/**
 * When the customer of a number asked for no more messages and no agent has lifted it since (the
 * newest `baja` note, unless an `alta` came after it), or null: templates are not sent to such a
 * number (docs/bot.md, "Opting out").
 */
export async function optedOutAt(db: Kysely<Tables>, waNumber: string): Promise<Date | null> {
  const row = await db
    .selectFrom('whatsapp_notas')
    .select(['tipo', 'creado_en'])
    .where('wa_number', '=', waNumber)
    .where('tipo', 'in', ['baja', 'alta'])
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.tipo === 'baja' ? row.creado_en : null;
}

/** Records that an agent lifted a number's baja (an `alta` note naming them). */
export async function insertOptIn(
  db: Kysely<Tables>,
  waNumber: string,
  agent: { id: number | null; name: string },
  at: Date,
): Promise<void> {
  await db
    .insertInto('whatsapp_notas')
    .values({ wa_number: waNumber, entrante_id: null, tipo: 'alta', valor: String(agent.id ?? ''), texto: agent.name, creado_en: at })
    .execute();
}
