import { column, defaults, index, type, type TableSpec } from '../../db/schema/table-spec.js';
import { defineRevision } from '../engine/revision.js';

/**
 * The message templates Meta approved for the business account, as `charla templates sync` last
 * read them (Meta's names: `nombre` is the template's name, `componentes` its components as JSON).
 * Outside the 24-hour window an agent may only send one of these. A template Meta no longer lists
 * stays, with `estado` DELETED.
 */
export const templates: TableSpec = {
  name: 'whatsapp_plantillas',
  ownership: 'charla',
  columns: [
    column('id', type.serial(), { primaryKey: true }),
    column('nombre', type.varchar(512), { nullable: false }),
    column('idioma', type.varchar(20), { nullable: false }),
    column('categoria', type.varchar(30), { nullable: false }),
    column('estado', type.varchar(30), { nullable: false }),
    column('componentes', type.longText(), { nullable: false }),
    column('meta_id', type.varchar(64)),
    column('sincronizado_en', type.timestamp(), { nullable: false, default: defaults.now() }),
  ],
  indexes: [index('ix_whatsapp_plantillas_nombre_idioma', ['nombre', 'idioma'], { unique: true })],
};

/** Canned replies ("respuestas rápidas") agents pick by a short key; `{nombre}`-style placeholders. */
export const cannedReplies: TableSpec = {
  name: 'whatsapp_respuestas_rapidas',
  ownership: 'charla',
  columns: [
    column('id', type.serial(), { primaryKey: true }),
    column('atajo', type.varchar(50), { nullable: false }),
    column('texto', type.text(), { nullable: false }),
    column('creado_en', type.timestamp(), { nullable: false, default: defaults.now() }),
  ],
  indexes: [index('ix_whatsapp_respuestas_rapidas_atajo', ['atajo'], { unique: true })],
};

/** The canned replies a new installation starts with; admins change them in the API. */
export const shippedReplies = [
  { atajo: 'saludo', texto: '¡Hola, {nombre}! Te escribe tu asesor de cobranzas. ¿En qué te puedo ayudar?' },
  {
    atajo: 'saldo',
    texto: '{nombre}, tu saldo pendiente es de {saldo}. Si ya pagaste, envíanos el comprobante por este chat para registrarlo.',
  },
  {
    atajo: 'proxima_cuota',
    texto: 'Te recordamos que tu próxima cuota es de {proxima_cuota} y vence el {fecha_proxima}. ¡Gracias por mantenerte al día!',
  },
  {
    atajo: 'comprobante_recibido',
    texto: '¡Gracias, {nombre}! Recibimos tu comprobante. Lo revisamos y te confirmamos el pago en breve.',
  },
  { atajo: 'despedida', texto: 'Gracias por escribirnos, {nombre}. Si necesitas algo más, aquí estamos para ayudarte.' },
] as const;

export default defineRevision({
  revision: '20261127_02_plantillas',
  downRevision: '20261127_01_eventos_inbox',
  description: 'message templates and canned replies',
  async upgrade(op) {
    await op.createTable(templates);
    await op.createTable(cannedReplies);
    await op.insertRows(cannedReplies.name, 'atajo', shippedReplies);
  },
  // The shipped replies still as shipped go with the table; replies admins added or changed, and
  // synced templates, make the drop a data loss (refused without --yes; `charla templates sync`
  // brings the templates back after an upgrade).
  async downgrade(op) {
    await op.deleteRows(cannedReplies.name, shippedReplies);
    await op.dropTable(cannedReplies.name);
    await op.dropTable(templates.name);
  },
});
