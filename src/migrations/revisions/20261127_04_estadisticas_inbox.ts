import { column, index, type, type TableSpec } from '../../db/schema/table-spec.js';
import { defineRevision } from '../engine/revision.js';

/**
 * The handoff log: one row each time a conversation changes hands (`whatsapp_conversaciones.modo`
 * changes), written in the same transaction as the change. `hacia` is who holds it afterwards
 * (`agente` or `bot`); `motivo` why: `bot` (the bot handed over: the customer asked for a person, or
 * verification failed three times), `tomada` (an agent took it over), `devuelta` (given back to the
 * bot); `agente_id` the agent who took or returned it (null for the bot or an API token). The
 * inbox's statistics count handoffs and measure agents' first response from it (docs/decisions.md).
 * `creado_en` is written by Charla (UTC, as message timestamps), never by the database's clock.
 */
export const handoffs: TableSpec = {
  name: 'whatsapp_traspasos',
  ownership: 'charla',
  columns: [
    column('id', type.serial(), { primaryKey: true }),
    column('wa_number', type.varchar(20), { nullable: false }),
    column('hacia', type.varchar(10), { nullable: false }),
    column('motivo', type.varchar(10), { nullable: false }),
    column('agente_id', type.integer()),
    column('creado_en', type.timestamp(), { nullable: false }),
  ],
  indexes: [
    // The statistics' range of days; a number's next handoff (the end of an agent's turn).
    index('ix_whatsapp_traspasos_creado_en', ['creado_en']),
    index('ix_whatsapp_traspasos_wa_number', ['wa_number', 'id']),
  ],
};

/** Failed deliveries over a range of days, without reading every message's details. */
export const failedStatusIndex = index('ix_whatsapp_mensajes_detalle_status', ['status', 'status_timestamp']);

/**
 * The statistics' per-day counts of messages, read from the index alone (no table rows): by
 * direction, and the distinct unidentified senders (cliente_id null, from_number).
 */
export const dayDirectionIndex = index('ix_conversaciones_whatsapp_estadisticas', ['timestamp', 'direccion', 'cliente_id', 'from_number']);

export default defineRevision({
  revision: '20261127_04_estadisticas_inbox',
  downRevision: '20261127_03_busqueda_y_vinculos',
  description: 'handoff log for the statistics; indexes for failed deliveries and messages per day',
  async upgrade(op) {
    await op.createTable(handoffs);
    await op.createIndex('whatsapp_mensajes_detalle', failedStatusIndex);
    await op.createIndex('conversaciones_whatsapp', dayDirectionIndex);
  },
  async downgrade(op) {
    await op.dropIndex('conversaciones_whatsapp', dayDirectionIndex.name);
    await op.dropIndex('whatsapp_mensajes_detalle', failedStatusIndex.name);
    await op.dropTable(handoffs.name);
  },
});
