import type { Principal } from '../auth/auth.repository.js';
import { insideServiceWindow } from '../conversations/service-window.js';
import { customersByNumber } from '../customers/customer-phone.repository.js';
import type { Database } from '../db/database.js';
import { CharlaError } from '../errors/charla-error.js';
import type { ClientMessage } from '../graph/client-message.js';
import { businessNumberOf, conversationForSending, customerExists, insertAgentMessage } from './agent-send.repository.js';
import { isoTimestamp, type MessageRow } from './message-row.js';
import { messageById } from './messages.repository.js';

/**
 * An agent's message: the OUTBOUND row and its outbox entry (with the agent) in one transaction;
 * the same sender as the bot's replies delivers it and records the result on the row. Free text
 * outside the 24-hour window is refused here, before anything is stored or sent.
 */
export async function sendAsAgent(
  database: Database,
  principal: Principal,
  message: { to: string; text: string; clienteId?: number },
  now = new Date(),
): Promise<MessageRow> {
  const { kysely, support } = database;
  const conversation = await conversationForSending(kysely, message.to);
  const lastInbound = conversation?.ultimo_entrante_en ?? null;
  if (!insideServiceWindow(lastInbound, now)) {
    throw new CharlaError(
      'OUTSIDE_SERVICE_WINDOW',
      lastInbound
        ? `${message.to} last wrote at ${isoTimestamp(lastInbound) ?? 'an unreadable time'}, more than 24 hours ago: only an approved template can be sent.`
        : `${message.to} has never written: only an approved template can be sent.`,
      lastInbound
        ? {}
        : {
            detalle: 'Este número nunca ha escrito, así que WhatsApp solo permite enviarle una plantilla aprobada. El mensaje no se envió.',
          },
    );
  }
  if (message.clienteId !== undefined && !(await customerExists(kysely, message.clienteId)))
    throw new CharlaError('CUSTOMER_UNKNOWN', `There is no customer with cliente_id ${message.clienteId}; nothing was sent.`, {
      detalle: `No existe ningún cliente con id ${message.clienteId}; el mensaje no se envió.`,
    });
  const clienteId =
    message.clienteId ?? conversation?.cliente_id ?? (await customersByNumber(kysely, [message.to])).get(message.to) ?? null;
  const id = await insertAgentMessage(kysely, support, {
    from: (await businessNumberOf(kysely, message.to)) ?? '',
    to: message.to,
    text: message.text,
    contenido: JSON.stringify({ kind: 'text', body: message.text } satisfies ClientMessage),
    clienteId,
    agenteId: principal.kind === 'agent' ? principal.agentId : null,
    at: now,
  });
  const row = await messageById(kysely, id);
  if (!row) throw new Error(`The message ${id} just written could not be read back.`);
  return row;
}
