import type { Kysely } from 'kysely';
import type { Tables } from '../db/tables.js';

/** The customer a conversation holds now, its row locked until the transaction ends (the bot's worker locks it the same way); undefined: no conversation. */
export async function lockConversationCustomer(trx: Kysely<Tables>, waNumber: string): Promise<{ cliente_id: number | null } | undefined> {
  return trx.selectFrom('whatsapp_conversaciones').select('cliente_id').where('wa_number', '=', waNumber).forUpdate().executeTakeFirst();
}

export async function customerExists(db: Kysely<Tables>, clienteId: number): Promise<boolean> {
  return (await db.selectFrom('clientes').select('id').where('id', '=', clienteId).executeTakeFirst()) !== undefined;
}

export interface NewLink {
  waNumber: string;
  clienteId: number;
  previousClienteId: number | null;
  agentId: number | null;
  tokenId: number | null;
  at: Date;
}

/**
 * In the caller's transaction: the conversation now belongs to the customer (`vinculado_en` set, so
 * the link outranks the phone index) and any verification under way is dropped; the link is
 * recorded in `whatsapp_vinculos`; the number's messages, both directions, move to the customer
 * (along the `(from_number | to_number, timestamp, id)` indexes).
 */
export async function recordLink(trx: Kysely<Tables>, link: NewLink): Promise<void> {
  await trx
    .updateTable('whatsapp_conversaciones')
    .set({
      cliente_id: link.clienteId,
      vinculado_en: link.at,
      paso_verificacion: null,
      cliente_candidato_id: null,
      intentos_fallidos: 0,
      actualizado_en: link.at,
    })
    .where('wa_number', '=', link.waNumber)
    .execute();
  await trx
    .insertInto('whatsapp_vinculos')
    .values({
      wa_number: link.waNumber,
      cliente_id: link.clienteId,
      cliente_anterior_id: link.previousClienteId,
      agente_id: link.agentId,
      token_id: link.tokenId,
      creado_en: link.at,
    })
    .execute();
  for (const column of ['from_number', 'to_number'] as const) {
    await trx
      .updateTable('conversaciones_whatsapp')
      .set({ cliente_id: link.clienteId, actualizado_en: link.at })
      .where(column, '=', link.waNumber)
      .where((eb) => eb.or([eb('cliente_id', 'is', null), eb('cliente_id', '!=', link.clienteId)]))
      .execute();
  }
}

/** A conversation's customer and whether an agent linked it; undefined: no conversation. */
export async function conversationCustomer(
  db: Kysely<Tables>,
  waNumber: string,
): Promise<{ cliente_id: number | null; vinculado_en: Date | null } | undefined> {
  return db
    .selectFrom('whatsapp_conversaciones')
    .select(['cliente_id', 'vinculado_en'])
    .where('wa_number', '=', waNumber)
    .executeTakeFirst();
}

/** The number's latest link, if it was ever linked. */
export async function latestLink(db: Kysely<Tables>, waNumber: string) {
  return db
    .selectFrom('whatsapp_vinculos')
    .select(['cliente_id', 'cliente_anterior_id', 'agente_id', 'token_id', 'creado_en'])
    .where('wa_number', '=', waNumber)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** A customer's row as the panel shows it. */
export async function customerDetails(db: Kysely<Tables>, clienteId: number) {
  return db
    .selectFrom('clientes')
    .select(['id', 'nombres', 'cedula', 'telefono', 'email', 'direccion', 'fecha_nacimiento', 'ocupacion', 'estado'])
    .where('id', '=', clienteId)
    .executeTakeFirst();
}
