import { defineRevision } from '../engine/revision.js';

/**
 * The naming rule of docs/glossary.md applied to Charla's own tables: what Charla names itself is in
 * the lender's Spanish, one language per name; Meta's fields keep Meta's names; the inherited
 * tables are left as they are. Rows, indexes and foreign keys follow the renamed columns.
 */

/** [table, old name, new name]. */
export const renamedColumns: readonly (readonly [string, string, string])[] = [
  ['whatsapp_conversaciones', 'mode', 'modo'],
  ['whatsapp_conversaciones', 'verification_step', 'paso_verificacion'],
  ['whatsapp_conversaciones', 'candidate_cliente_id', 'cliente_candidato_id'],
  ['whatsapp_conversaciones', 'failed_attempts', 'intentos_fallidos'],
  ['whatsapp_conversaciones', 'last_inbound_at', 'ultimo_entrante_en'],
  ['whatsapp_conversaciones', 'receipt_pending', 'comprobante_pendiente'],
  ['whatsapp_envios', 'inbound_id', 'entrante_id'],
  ['whatsapp_envios', 'payload', 'contenido'],
  ['whatsapp_envios', 'attempts', 'intentos'],
  ['whatsapp_envios', 'next_attempt_at', 'proximo_intento_en'],
  // Meta's statuses[].status and .timestamp, named as in whatsapp_estados_pendientes.
  ['whatsapp_mensajes_detalle', 'delivery_status', 'status'],
  ['whatsapp_mensajes_detalle', 'delivery_status_at', 'status_timestamp'],
];

/** [table, old name, new name]: the indexes named after renamed columns. */
export const renamedIndexes: readonly (readonly [string, string, string])[] = [
  ['whatsapp_conversaciones', 'ix_whatsapp_conversaciones_last_inbound', 'ix_whatsapp_conversaciones_ultimo_entrante'],
  ['whatsapp_envios', 'ix_whatsapp_envios_estado_next', 'ix_whatsapp_envios_estado_proximo'],
];

/** [table, column (new name), old value, new value]: stored values that were English. */
export const translatedValues: readonly (readonly [string, string, string, string])[] = [
  ['whatsapp_conversaciones', 'modo', 'agent', 'agente'],
  ['whatsapp_conversaciones', 'paso_verificacion', 'birth_date', 'fecha_nacimiento'],
];

/**
 * The UPDATEs that translate the values, after the renames (the column as named then). Safe to run
 * twice: the second run finds no row with the old value.
 */
function translations(direction: 'up' | 'down'): string[] {
  return translatedValues.map(([table, column, english, spanish]) => {
    const [from, to] = direction === 'up' ? [english, spanish] : [spanish, english];
    const named = direction === 'up' ? column : (renamedColumns.find(([t, , renamed]) => t === table && renamed === column)?.[1] ?? column);
    return `UPDATE ${table} SET ${named} = '${to}' WHERE ${named} = '${from}'`;
  });
}

export default defineRevision({
  revision: '20261126_01_nombres_en_espanol',
  downRevision: '20261125_05_cuarentena_webhook',
  description: "Charla's own columns and values in Spanish (docs/glossary.md)",
  // Renames first, values after: a run interrupted anywhere (MySQL/MariaDB commit each statement)
  // completes on the next, since every rename checks first and every UPDATE uses the new names.
  async upgrade(op) {
    for (const [table, from, to] of renamedColumns) await op.renameColumn(table, from, to);
    for (const [table, from, to] of renamedIndexes) await op.renameIndex(table, from, to);
    for (const statement of translations('up')) await op.execute(statement);
  },
  async downgrade(op) {
    for (const [table, from, to] of [...renamedIndexes].reverse()) await op.renameIndex(table, to, from);
    for (const [table, from, to] of [...renamedColumns].reverse()) await op.renameColumn(table, to, from);
    for (const statement of translations('down')) await op.execute(statement);
  },
});
