import { sql, type Kysely } from 'kysely';
import type { Tables } from '../db/tables.js';

/**
 * The two columns the inbox's list reads instead of counting messages (revision 20261127_05,
 * docs/decisions.md): `no_leidos` and `envio_fallido` of `whatsapp_conversaciones`, kept by the
 * writers in the transactions that change what they summarise.
 */

/**
 * Each number's unread count, recounted from the rows: inbound messages (reactions aside) newer than
 * its `leido_hasta_id`, one range of the (from_number, direccion, id) index. A plain read (no locks
 * on the messages), so it never blocks the webhook's inserts; the caller holds the conversation rows.
 */
export async function unreadCounts(trx: Kysely<Tables>, waNumbers: readonly string[]): Promise<Map<string, number>> {
  if (waNumbers.length === 0) return new Map();
  const rows = await trx
    .selectFrom('whatsapp_conversaciones as c')
    .leftJoin('conversaciones_whatsapp as m', (join) =>
      join
        .onRef('m.from_number', '=', 'c.wa_number')
        .on('m.direccion', '=', 'INBOUND')
        .on(sql<boolean>`m.id > coalesce(c.leido_hasta_id, 0)`)
        .on('m.message_type', '<>', 'reaction'),
    )
    .select(['c.wa_number', (eb) => eb.fn.count<string | number>('m.id').as('n')])
    .where('c.wa_number', 'in', [...waNumbers])
    .groupBy('c.wa_number')
    .execute();
  return new Map(rows.map((r) => [r.wa_number, Number(r.n)] as const));
}

/**
 * Recounts `no_leidos` of one number, its conversation row locked (mark-read): in the caller's
 * transaction when given one, else in a transaction of its own.
 */
export async function recountUnread(db: Kysely<Tables>, waNumber: string): Promise<void> {
  const recount = async (trx: Kysely<Tables>) => {
    await trx.selectFrom('whatsapp_conversaciones').select('wa_number').where('wa_number', '=', waNumber).forUpdate().execute();
    const count = (await unreadCounts(trx, [waNumber])).get(waNumber);
    if (count === undefined) return;
    await trx.updateTable('whatsapp_conversaciones').set({ no_leidos: count }).where('wa_number', '=', waNumber).execute();
  };
  if (db.isTransaction) await recount(db);
  else await db.transaction().execute(recount);
}

/**
 * Outbound messages failed (the sender gave up, or Meta reported `failed`): their numbers'
 * conversations get `envio_fallido`, unless Charla has queued a newer message for the number since
 * (a failure arriving late does not flag a conversation whose newest message is fine).
 * Rows are named by id (`rowIds`) or by Meta's id (`messageIds`).
 */
export async function flagFailedSends(
  trx: Kysely<Tables>,
  failed: { rowIds?: readonly number[]; messageIds?: readonly string[] },
): Promise<void> {
  const rowIds = [...(failed.rowIds ?? [])];
  const messageIds = [...(failed.messageIds ?? [])];
  if (rowIds.length + messageIds.length === 0) return;
  const newest = await trx
    .selectFrom('whatsapp_envios as e')
    .select('e.wa_number')
    .where((eb) =>
      eb.or([
        ...(rowIds.length > 0 ? [eb('e.conversacion_id', 'in', rowIds)] : []),
        ...(messageIds.length > 0
          ? [
              eb(
                'e.conversacion_id',
                'in',
                eb.selectFrom('conversaciones_whatsapp as m').select('m.id').where('m.message_id', 'in', messageIds),
              ),
            ]
          : []),
      ]),
    )
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('whatsapp_envios as n')
            .select('n.conversacion_id')
            .whereRef('n.wa_number', '=', 'e.wa_number')
            .whereRef('n.conversacion_id', '>', 'e.conversacion_id'),
        ),
      ),
    )
    .execute();
  const numbers = [...new Set(newest.map((r) => r.wa_number))];
  if (numbers.length === 0) return;
  await trx.updateTable('whatsapp_conversaciones').set({ envio_fallido: true }).where('wa_number', 'in', numbers).execute();
}

/** Charla queued a new message for these numbers: their newest message has not failed (yet). */
export async function clearFailedSends(trx: Kysely<Tables>, waNumbers: readonly string[]): Promise<void> {
  if (waNumbers.length === 0) return;
  await trx
    .updateTable('whatsapp_conversaciones')
    .set({ envio_fallido: false })
    .where('wa_number', 'in', [...waNumbers])
    .where('envio_fallido', '=', true)
    .execute();
}
