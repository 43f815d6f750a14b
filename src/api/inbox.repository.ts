import type { Kysely } from 'kysely';
import { logHandoffs } from '../conversations/handoff-log.repository.js';
import { recordEvents } from '../conversations/events.repository.js';
import { recountUnread } from '../conversations/inbox-counters.repository.js';
import type { DialectSupport } from '../db/dialects/dialect-support.js';
import type { Mode, Tables } from '../db/tables.js';

/** The list and one conversation's entry: src/api/inbox-list.repository.ts. */
export type { ConversationEntry } from './inbox.schemas.js';

/** Whether the inbox knows this number (it has a `whatsapp_conversaciones` row). */
export async function conversationExists(db: Kysely<Tables>, waNumber: string): Promise<boolean> {
  const found = await db.selectFrom('whatsapp_conversaciones').select('wa_number').where('wa_number', '=', waNumber).executeTakeFirst();
  return found !== undefined;
}

/** Agents have read the number's thread up to its newest message (or `upToId`); a `conversacion` event (`leida`) when that moved. */
export async function markRead(db: Kysely<Tables>, support: DialectSupport, waNumber: string, upToId?: number): Promise<void> {
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
  await db.transaction().execute(async (trx) => {
    const moved = await trx
      .updateTable('whatsapp_conversaciones')
      .set({ leido_hasta_id: newest })
      .where('wa_number', '=', waNumber)
      .where((eb) => eb.or([eb('leido_hasta_id', 'is', null), eb('leido_hasta_id', '<', newest)]))
      .executeTakeFirst();
    await recountUnread(trx, waNumber);
    if (Number(moved.numUpdatedRows) > 0)
      await recordEvents(trx, support, [{ tipo: 'conversacion', wa_number: waNumber, datos: { cambio: 'leida' } }]);
  });
}

/**
 * Who holds the conversation: an agent (the bot goes quiet) or the bot again. A change of mode is
 * logged in `whatsapp_traspasos` (`tomada` / `devuelta`, by `agentId`) in the same transaction; an
 * agent taking over a conversation agents hold already changes only `agente_id`. A `conversacion`
 * event (`tomada` / `devuelta`) tells the agents' browsers.
 */
export async function setMode(
  db: Kysely<Tables>,
  support: DialectSupport,
  waNumber: string,
  mode: Mode,
  agentId: number | null,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const current = await trx
      .selectFrom('whatsapp_conversaciones')
      .select('modo')
      .where('wa_number', '=', waNumber)
      .forUpdate()
      .executeTakeFirst();
    const at = new Date();
    await trx
      .updateTable('whatsapp_conversaciones')
      .set({ modo: mode, agente_id: mode === 'agente' ? agentId : null, actualizado_en: at })
      .where('wa_number', '=', waNumber)
      .execute();
    if (current && current.modo !== mode)
      await logHandoffs(trx, [{ waNumber, to: mode, reason: mode === 'agente' ? 'tomada' : 'devuelta', agentId, at }]);
    await recordEvents(trx, support, [
      { tipo: 'conversacion', wa_number: waNumber, datos: { cambio: mode === 'agente' ? 'tomada' : 'devuelta' } },
    ]);
  });
}

/** The receipt was reviewed: the flag is cleared, with a `conversacion` event (`comprobante_revisado`). */
export async function resolveReceipt(db: Kysely<Tables>, support: DialectSupport, waNumber: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('whatsapp_conversaciones')
      .set({ comprobante_pendiente: false, actualizado_en: new Date() })
      .where('wa_number', '=', waNumber)
      .execute();
    await recordEvents(trx, support, [{ tipo: 'conversacion', wa_number: waNumber, datos: { cambio: 'comprobante_revisado' } }]);
  });
}
