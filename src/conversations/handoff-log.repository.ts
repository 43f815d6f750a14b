import type { Kysely } from 'kysely';
import type { HandoffReason, Mode, Tables } from '../db/tables.js';

/** One change of hands of a conversation, as `whatsapp_traspasos` keeps it. */
export interface Handoff {
  waNumber: string;
  /** Who holds the conversation afterwards. */
  to: Mode;
  reason: HandoffReason;
  /** The agent who took it over or gave it back (null: the bot, or an API token). */
  agentId: number | null;
  at: Date;
}

/**
 * Logs handoffs in the caller's transaction, the one that changes `whatsapp_conversaciones.modo`:
 * the log and the state never disagree.
 */
export async function logHandoffs(trx: Kysely<Tables>, handoffs: readonly Handoff[]): Promise<void> {
  if (handoffs.length === 0) return;
  await trx
    .insertInto('whatsapp_traspasos')
    .values(
      handoffs.map((h) => ({
        wa_number: h.waNumber,
        hacia: h.to,
        motivo: h.reason,
        agente_id: h.agentId,
        creado_en: h.at,
      })),
    )
    .execute();
}
