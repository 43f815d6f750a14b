import { column, defaults, index, type, type TableSpec } from '../../db/schema/table-spec.js';
import { defineRevision } from '../engine/revision.js';

/** The bot's memory of each WhatsApp number: who it is, who holds the conversation, what is pending. */
export const conversations: TableSpec = {
  name: 'whatsapp_conversaciones',
  ownership: 'charla',
  columns: [
    column('wa_number', type.varchar(20), { primaryKey: true }),
    column('cliente_id', type.integer()),
    column('mode', type.varchar(10), { nullable: false, default: defaults.value('bot') }),
    column('verification_step', type.varchar(20)),
    column('candidate_cliente_id', type.integer()),
    column('failed_attempts', type.integer(), { nullable: false, default: defaults.value(0) }),
    column('last_inbound_at', type.timestamp()),
    column('receipt_pending', type.boolean(), { nullable: false, default: defaults.value(false) }),
    column('profile_name', type.varchar(200)),
    column('actualizado_en', type.timestamp(), { nullable: false, default: defaults.now() }),
  ],
  indexes: [index('ix_whatsapp_conversaciones_cliente_id', ['cliente_id'])],
};

/** Replies waiting to be handed to the Graph API, with what to send and when to try again. */
export const outbox: TableSpec = {
  name: 'whatsapp_envios',
  ownership: 'charla',
  columns: [
    column('conversacion_id', type.integer(), { primaryKey: true, references: { table: 'conversaciones_whatsapp', column: 'id' } }),
    column('inbound_id', type.integer()),
    column('wa_number', type.varchar(20), { nullable: false }),
    column('payload', type.text(), { nullable: false }),
    column('estado', type.varchar(12), { nullable: false, default: defaults.value('pendiente') }),
    column('attempts', type.integer(), { nullable: false, default: defaults.value(0) }),
    column('next_attempt_at', type.timestamp(), { nullable: false, default: defaults.now() }),
    column('creado_en', type.timestamp(), { nullable: false, default: defaults.now() }),
  ],
  indexes: [
    index('ix_whatsapp_envios_estado_next', ['estado', 'next_attempt_at']),
    index('ix_whatsapp_envios_wa_number', ['wa_number', 'conversacion_id']),
  ],
};

/** Unprocessed inbound messages, oldest first: what the worker looks for. */
export const pendingInboundIndex = index('ix_conversaciones_whatsapp_pendientes', ['procesado', 'direccion', 'timestamp']);

export default defineRevision({
  revision: '20261125_02_conversaciones_bot',
  downRevision: '20261125_01_ingesta_webhook',
  description: 'bot conversation state per WhatsApp number, reply outbox, index of unprocessed messages',
  async upgrade(op) {
    await op.createTable(conversations);
    await op.createTable(outbox);
    await op.createIndex('conversaciones_whatsapp', pendingInboundIndex);
  },
  async downgrade(op) {
    await op.dropIndex('conversaciones_whatsapp', pendingInboundIndex.name);
    await op.dropTable(outbox.name);
    await op.dropTable(conversations.name);
  },
});
