import { column, defaults, index, type, type TableSpec } from '../../db/schema/table-spec.js';
import { defineRevision } from '../engine/revision.js';

/** A contract with existing databases and tools (docs/crm-data.md). Later needs go into later revisions. */
export const conversacionesWhatsapp: TableSpec = {
  name: 'conversaciones_whatsapp',
  ownership: 'charla',
  columns: [
    column('id', type.serial(), { primaryKey: true }),
    column('message_id', type.varchar(100)),
    column('from_number', type.varchar(20), { nullable: false }),
    column('to_number', type.varchar(20), { nullable: false }),
    column('message_type', type.varchar(20), { nullable: false }),
    column('body', type.text()),
    column('timestamp', type.timestamp(), { nullable: false }),
    column('direccion', type.varchar(10), { nullable: false }),
    column('cliente_id', type.integer(), { references: { table: 'clientes', column: 'id' } }),
    column('procesado', type.boolean(), { nullable: false, default: defaults.value(false) }),
    column('respuesta_enviada', type.boolean(), { nullable: false, default: defaults.value(false) }),
    column('respuesta_id', type.integer(), { references: { table: 'conversaciones_whatsapp', column: 'id' } }),
    column('respuesta_bot', type.text()),
    column('respuesta_meta_id', type.varchar(100)),
    column('error', type.text()),
    column('creado_en', type.timestamp(), { nullable: false, default: defaults.now() }),
    column('actualizado_en', type.timestamp(), { nullable: false, default: defaults.now() }),
  ],
  indexes: [
    index('ix_conversaciones_whatsapp_id', ['id']),
    index('ix_conversaciones_whatsapp_message_id', ['message_id'], { unique: true }),
    index('ix_conversaciones_whatsapp_from_number', ['from_number']),
    index('ix_conversaciones_whatsapp_timestamp', ['timestamp']),
    index('ix_conversaciones_whatsapp_cliente_id', ['cliente_id']),
    index('ix_conversaciones_whatsapp_creado_en', ['creado_en']),
  ],
};

export default defineRevision({
  revision: '20250117_conversaciones_whatsapp',
  downRevision: '20251114_05_modelos_impago_cuotas',
  description: 'conversaciones whatsapp',
  async upgrade(op) {
    if (await op.hasTable(conversacionesWhatsapp.name)) {
      op.note('Table conversaciones_whatsapp already exists; left as it is (charla db check reports any drift).');
      return;
    }
    await op.createTable(conversacionesWhatsapp);
  },
  async downgrade(op) {
    await op.dropTable(conversacionesWhatsapp.name);
  },
});
