import { column, defaults, index, type, type TableSpec } from '../../db/schema/table-spec.js';
import { defineRevision } from '../engine/revision.js';

/**
 * What changed in the inbox, one row per change, written in the same transaction as the change:
 * the web process reads the rows after the last one it delivered and pushes them to the agents'
 * browsers (`GET /api/v1/eventos`). Kept for INBOX_EVENTS_KEEP_HOURS, so a browser that was away
 * can catch up with `Last-Event-ID`; `creado_en`'s index serves the pruning.
 */
export const inboxEvents: TableSpec = {
  name: 'whatsapp_eventos',
  ownership: 'charla',
  columns: [
    column('id', type.serial(), { primaryKey: true }),
    column('tipo', type.varchar(20), { nullable: false }),
    column('wa_number', type.varchar(100), { nullable: false }),
    column('conversacion_id', type.integer()),
    column('datos', type.text()),
    column('creado_en', type.timestamp(), { nullable: false, default: defaults.now() }),
  ],
  indexes: [index('ix_whatsapp_eventos_creado_en', ['creado_en'])],
};

export default defineRevision({
  revision: '20261127_01_eventos_inbox',
  downRevision: '20261126_02_nombres_agentes',
  description: 'inbox events for live updates',
  async upgrade(op) {
    await op.createTable(inboxEvents);
  },
  async downgrade(op) {
    await op.dropTable(inboxEvents.name);
  },
});
