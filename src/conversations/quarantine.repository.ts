import { createHash } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { DialectSupport } from '../db/dialects/dialect-support.js';
import type { Tables, WhatsappCuarentenaTable } from '../db/tables.js';
import type { QuarantinedItem } from './messages.js';

/** Webhook items kept whole, once each (`huella`: SHA-256 of class and content, so redeliveries add nothing). */
export async function keepInQuarantine(db: Kysely<Tables>, support: DialectSupport, items: readonly QuarantinedItem[]): Promise<void> {
  const rows = new Map(
    items.map((item) => {
      const huella = createHash('sha256').update(`${item.clase}\n${item.contenido}`).digest('hex');
      return [huella, { huella, clase: item.clase, message_id: item.message_id, motivo: item.motivo, contenido: item.contenido }];
    }),
  );
  if (rows.size === 0) return;
  await support.ignoreDuplicates(db.insertInto('whatsapp_cuarentena').values([...rows.values()]), ['huella']).execute();
}

export type QuarantineRow = Selectable<WhatsappCuarentenaTable>;

/** The newest quarantined items first, `limit` of them before the id `before`. */
export async function listQuarantine(
  db: Kysely<Tables>,
  limit: number,
  before?: number,
): Promise<{ rows: QuarantineRow[]; total: number }> {
  let query = db.selectFrom('whatsapp_cuarentena').selectAll();
  if (before !== undefined) query = query.where('id', '<', before);
  const [rows, count] = await Promise.all([
    query.orderBy('id', 'desc').limit(limit).execute(),
    db
      .selectFrom('whatsapp_cuarentena')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

export async function quarantinedItem(db: Kysely<Tables>, id: number): Promise<QuarantineRow | undefined> {
  return db.selectFrom('whatsapp_cuarentena').selectAll().where('id', '=', id).executeTakeFirst();
}
