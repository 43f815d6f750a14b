import { column, defaults, fullTextIndex, index, type, type TableSpec } from '../../db/schema/table-spec.js';
import { defineRevision } from '../engine/revision.js';

/**
 * Every time an agent (or an API token) linked a WhatsApp number to a customer: to which customer,
 * from which one, by whom and when. The link itself is `whatsapp_conversaciones.cliente_id` with
 * `vinculado_en` set (docs/decisions.md, "Linking a number to a customer").
 */
export const links: TableSpec = {
  name: 'whatsapp_vinculos',
  ownership: 'charla',
  columns: [
    column('id', type.serial(), { primaryKey: true }),
    column('wa_number', type.varchar(20), { nullable: false }),
    column('cliente_id', type.integer(), { nullable: false }),
    column('cliente_anterior_id', type.integer()),
    column('agente_id', type.integer()),
    column('token_id', type.integer()),
    column('creado_en', type.timestamp(), { nullable: false, default: defaults.now() }),
  ],
  indexes: [index('ix_whatsapp_vinculos_wa_number', ['wa_number', 'id'])],
};

/** When an agent linked the number to its customer: set, the link outranks the phone index for the bot and the webhook. */
export const linkedAt = column('vinculado_en', type.timestamp());

/** The words of every message, for the search (`fullTextIndex`: each dialect's full-text index of `body`). */
export const messageWords = fullTextIndex('ix_conversaciones_whatsapp_body_texto', 'body');

export default defineRevision({
  revision: '20261127_03_busqueda_y_vinculos',
  downRevision: '20261127_02_plantillas',
  description: 'search indexes and links of numbers to customers',
  async upgrade(op) {
    await op.createTable(links);
    await op.addColumn('whatsapp_conversaciones', linkedAt);
    await op.createIndex('conversaciones_whatsapp', messageWords);
  },
  async downgrade(op) {
    await op.dropIndex('conversaciones_whatsapp', messageWords.name);
    await op.dropColumn('whatsapp_conversaciones', linkedAt.name);
    await op.dropTable(links.name);
  },
});
