import type { Principal } from '../auth/auth.repository.js';
import { recordEvents } from '../conversations/events.repository.js';
import type { Database } from '../db/database.js';
import { CharlaError } from '../errors/charla-error.js';
import { customerExists, lockConversationCustomer, recordLink } from './customer-link.repository.js';

/**
 * Links a WhatsApp number to a customer, from now on and for everyone (docs/decisions.md, "Linking
 * a number to a customer"): the bot answers the number as that customer, the webhook files its new
 * messages under them, and its messages so far move to them. One transaction, which also records
 * who linked it and when, and the inbox event. The conversation's row is locked first, so a worker
 * answering the number at that moment finishes before, or answers after with the link.
 */
export async function linkNumber(database: Database, principal: Principal, waNumber: string, clienteId: number): Promise<void> {
  const { kysely, support } = database;
  await kysely.transaction().execute(async (trx) => {
    const conversation = await lockConversationCustomer(trx, waNumber);
    if (!conversation) throw new CharlaError('HTTP_NOT_FOUND', `No conversation with ${waNumber}.`);
    if (!(await customerExists(trx, clienteId)))
      throw new CharlaError('CUSTOMER_UNKNOWN', `No customer has cliente_id ${clienteId}; nothing was linked.`);
    await recordLink(trx, {
      waNumber,
      clienteId,
      previousClienteId: conversation.cliente_id,
      agentId: principal.kind === 'agent' ? principal.agentId : null,
      tokenId: principal.kind === 'token' ? principal.tokenId : null,
      at: new Date(),
    });
    await recordEvents(trx, support, [
      { tipo: 'conversacion', wa_number: waNumber, datos: { cambio: 'vinculada', cliente_id: clienteId } },
    ]);
  });
}
