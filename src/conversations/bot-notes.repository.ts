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
 * When the customer of a number asked for no more messages (the newest `baja` note the bot left),
 * or null: templates are not sent to such a number (docs/bot.md, "Opting out").
 */
export async function optedOutAt(db: Kysely<Tables>, waNumber: string): Promise<Date | null> {
  const row = await db
    .selectFrom('whatsapp_notas')
    .select('creado_en')
    .where('wa_number', '=', waNumber)
    .where('tipo', '=', 'baja')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.creado_en ?? null;
}
