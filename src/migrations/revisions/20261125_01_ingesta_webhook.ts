import { column, defaults, index, type, type TableSpec } from '../../db/schema/table-spec.js';
import { defineRevision } from '../engine/revision.js';

/**
 * What the webhook keeps beyond conversaciones_whatsapp's columns (docs/crm-data.md), one row per
 * message id (inbound and outbound): nothing Meta sends is thrown away, and conversaciones_whatsapp
 * stays as it is.
 */
export const messageDetails: TableSpec = {
  name: 'whatsapp_mensajes_detalle',
  ownership: 'charla',
  columns: [
    column('message_id', type.varchar(100), { primaryKey: true }),
    column('phone_number_id', type.varchar(30)),
    column('profile_name', type.varchar(200)),
    column('media_id', type.varchar(100)),
    column('media_mime_type', type.varchar(100)),
    column('context_message_id', type.varchar(100)),
    column('reaction_message_id', type.varchar(100)),
    column('reply_id', type.varchar(256)),
    column('metadata', type.text()),
    column('delivery_status', type.varchar(10)),
    column('delivery_status_at', type.timestamp()),
  ],
  indexes: [],
};

/** Statuses that arrived before the message they describe was recorded: applied when it is. */
export const pendingStatuses: TableSpec = {
  name: 'whatsapp_estados_pendientes',
  ownership: 'charla',
  columns: [
    column('id', type.serial(), { primaryKey: true }),
    column('message_id', type.varchar(100), { nullable: false }),
    column('status', type.varchar(10), { nullable: false }),
    column('status_timestamp', type.timestamp(), { nullable: false }),
    column('recipient_id', type.varchar(20)),
    column('error', type.text()),
    column('creado_en', type.timestamp(), { nullable: false, default: defaults.now() }),
  ],
  indexes: [index('ix_whatsapp_estados_pendientes_message_status', ['message_id', 'status'], { unique: true })],
};

/**
 * Every customer's phone numbers, normalised, for identification by index (kept in step with
 * clientes.telefono by the phone sync). No foreign key: a derived index must never stop the CRM
 * from deleting a customer; the sync removes the rows of customers gone.
 */
export const customerPhones: TableSpec = {
  name: 'clientes_telefonos',
  ownership: 'charla',
  columns: [
    column('cliente_id', type.integer(), { nullable: false, primaryKey: true }),
    column('telefono', type.varchar(20), { nullable: false, primaryKey: true }),
    column('telefono_origen', type.varchar(100), { nullable: false }),
  ],
  indexes: [index('ix_clientes_telefonos_telefono', ['telefono'])],
};

export default defineRevision({
  revision: '20261125_01_ingesta_webhook',
  downRevision: '20250117_conversaciones_whatsapp',
  description: 'webhook ingest: message details, delivery status, pending statuses, customer phone index',
  async upgrade(op) {
    await op.createTable(messageDetails);
    await op.createTable(pendingStatuses);
    await op.createTable(customerPhones);
  },
  async downgrade(op) {
    await op.dropTable(customerPhones.name);
    await op.dropTable(pendingStatuses.name);
    await op.dropTable(messageDetails.name);
  },
});
