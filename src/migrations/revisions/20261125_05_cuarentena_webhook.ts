import { column, defaults, index, type, type TableSpec } from '../../db/schema/table-spec.js';
import { defineRevision } from '../engine/revision.js';

/**
 * Webhook items that could not be stored as they came (an unreadable message, an id with a NUL,
 * a body over the limit…), kept whole with the reason, for an admin to look at. A redelivery of
 * the same item is kept once (`huella`, the SHA-256 of its class and content).
 */
export const webhookQuarantine: TableSpec = {
  name: 'whatsapp_cuarentena',
  ownership: 'charla',
  columns: [
    column('id', type.serial(), { primaryKey: true }),
    column('huella', type.varchar(64), { nullable: false }),
    column('clase', type.varchar(10), { nullable: false }),
    column('message_id', type.varchar(100)),
    column('motivo', type.text(), { nullable: false }),
    column('contenido', type.longText(), { nullable: false }),
    column('recibido_en', type.timestamp(), { nullable: false, default: defaults.now() }),
  ],
  indexes: [index('ix_whatsapp_cuarentena_huella', ['huella'], { unique: true })],
};

export default defineRevision({
  revision: '20261125_05_cuarentena_webhook',
  downRevision: '20261125_04_agentes_api',
  description: 'quarantine for webhook items that cannot be stored as they came',
  async upgrade(op) {
    await op.createTable(webhookQuarantine);
  },
  async downgrade(op) {
    await op.dropTable(webhookQuarantine.name);
  },
});
