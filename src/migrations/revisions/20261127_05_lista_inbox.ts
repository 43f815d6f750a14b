import { column, defaults, index, type } from '../../db/schema/table-spec.js';
import { defineRevision } from '../engine/revision.js';

/**
 * The inbox's conversation list at 100,000 conversations and 5 million messages (docs/decisions.md,
 * "The inbox list: two counters on the conversation row"): two columns kept by the writers in the
 * transactions that change them, so the list and its badges never count messages on a request,
 * and an index per filter so a filtered page reads only its own rows.
 */

/** Inbound messages (reactions aside) newer than `leido_hasta_id`: recounted by the worker and by mark-read. */
export const unreadCount = column('no_leidos', type.integer(), { nullable: false, default: defaults.value(0) });
/** The newest message Charla sent to the number (whatsapp_envios) failed: the sender gave up, or Meta said `failed`. */
export const failedSend = column('envio_fallido', type.boolean(), { nullable: false, default: defaults.value(false) });

/** Each filter of the list, in the list's order (newest customer message first). */
export const listIndexes = [
  index('ix_whatsapp_conversaciones_agente_reciente', ['agente_id', 'ultimo_entrante_en']),
  index('ix_whatsapp_conversaciones_modo_reciente', ['modo', 'ultimo_entrante_en']),
  index('ix_whatsapp_conversaciones_cliente_reciente', ['cliente_id', 'ultimo_entrante_en']),
  index('ix_whatsapp_conversaciones_comprobante_reciente', ['comprobante_pendiente', 'ultimo_entrante_en']),
  index('ix_whatsapp_conversaciones_fallido_reciente', ['envio_fallido', 'ultimo_entrante_en']),
];

/** A number's inbound messages by id: the unread count is a range of it (`id > leido_hasta_id`). */
export const inboundByIdIndex = index('ix_conversaciones_whatsapp_from_direccion_id', ['from_number', 'direccion', 'id']);

/** The thread shows reactions on the message they react to: reactions by their target's wamid. */
export const reactionTargetIndex = index('ix_whatsapp_mensajes_detalle_reaccion', ['reaction_message_id']);

/**
 * The backfill, one UPDATE per column, correlated subqueries only (the same SQL on PostgreSQL,
 * MySQL/MariaDB and PGlite). Each conversation's count is a range of the index above, so 5 million
 * messages cost one index probe per conversation. Safe to re-run: both are recomputed from the rows.
 */
const backfill = [
  `UPDATE whatsapp_conversaciones SET no_leidos = (
     SELECT COUNT(*) FROM conversaciones_whatsapp m
     WHERE m.from_number = whatsapp_conversaciones.wa_number AND m.direccion = 'INBOUND'
       AND m.id > COALESCE(whatsapp_conversaciones.leido_hasta_id, 0) AND m.message_type <> 'reaction')`,
  `UPDATE whatsapp_conversaciones SET envio_fallido = TRUE WHERE EXISTS (
     SELECT 1 FROM whatsapp_envios e JOIN conversaciones_whatsapp m ON m.id = e.conversacion_id
     WHERE e.wa_number = whatsapp_conversaciones.wa_number
       AND e.conversacion_id = (SELECT MAX(n.conversacion_id) FROM whatsapp_envios n WHERE n.wa_number = whatsapp_conversaciones.wa_number)
       AND (e.estado = 'fallido' OR (e.estado = 'enviado' AND m.error IS NOT NULL)))`,
];

export default defineRevision({
  revision: '20261127_05_lista_inbox',
  downRevision: '20261127_04_estadisticas_inbox',
  description: 'indexes for the inbox list and thread',
  async upgrade(op) {
    await op.addColumn('whatsapp_conversaciones', unreadCount);
    await op.addColumn('whatsapp_conversaciones', failedSend);
    await op.createIndex('conversaciones_whatsapp', inboundByIdIndex);
    for (const statement of backfill) await op.execute(statement);
    for (const spec of listIndexes) await op.createIndex('whatsapp_conversaciones', spec);
    await op.createIndex('whatsapp_mensajes_detalle', reactionTargetIndex);
  },
  async downgrade(op) {
    await op.dropIndex('whatsapp_mensajes_detalle', reactionTargetIndex.name);
    for (const spec of [...listIndexes].reverse()) await op.dropIndex('whatsapp_conversaciones', spec.name);
    await op.dropIndex('conversaciones_whatsapp', inboundByIdIndex.name);
    await op.dropColumn('whatsapp_conversaciones', failedSend.name);
    await op.dropColumn('whatsapp_conversaciones', unreadCount.name);
  },
});
