import type { Insertable } from 'kysely';
import type { ConversacionesWhatsappTable } from '../../src/db/tables.js';

/** An inbound text message row, with whatever the test cares about overridden. */
export function inboundMessage(overrides: Partial<Insertable<ConversacionesWhatsappTable>> = {}): Insertable<ConversacionesWhatsappTable> {
  return {
    message_id: `wamid.test-${Math.random().toString(36).slice(2)}`,
    from_number: '584121234567',
    to_number: '15550000000',
    message_type: 'text',
    body: 'hola',
    timestamp: new Date(),
    direccion: 'INBOUND',
    ...overrides,
  };
}
