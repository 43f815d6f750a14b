import { column, defaults, index, type, type TableSpec } from '../../db/schema/table-spec.js';
import { defineRevision } from '../engine/revision.js';

/**
 * What the bot noted for the agents from a customer's words (docs/bot.md, "What the bot notes for
 * the agents"): `referencia_pago`, a bank reference typed with a claimed payment; `fecha_pago`, the
 * day a customer says they could or will pay (an ISO date, `texto` as written); `baja`, a request
 * for no more messages. `entrante_id` is
 * the inbound message (`conversaciones_whatsapp.id`) it was read from.
 */
export const botNotes: TableSpec = {
  name: 'whatsapp_notas',
  ownership: 'charla',
  columns: [
    column('id', type.serial(), { primaryKey: true }),
    column('wa_number', type.varchar(20), { nullable: false }),
    column('entrante_id', type.integer()),
    column('tipo', type.varchar(20), { nullable: false }),
    column('valor', type.varchar(100), { nullable: false }),
    column('texto', type.varchar(200)),
    column('creado_en', type.timestamp(), { nullable: false, default: defaults.now() }),
  ],
  indexes: [index('ix_whatsapp_notas_wa_number', ['wa_number', 'id'])],
};

/** Messages in a row the bot did not understand (the second offers an agent). */
export const notUnderstood = column('no_entendidos', type.integer(), { nullable: false, default: defaults.value(0) });
/** What the bot asked an identified customer and waits for (`fecha_pago`: when they could pay). */
export const pendingQuestion = column('pregunta_pendiente', type.varchar(20));

export default defineRevision({
  revision: '20261129_01_entendimiento_bot',
  downRevision: '20261128_02_sesiones_jwt',
  description: "the bot's understanding: notes for the agents, messages not understood in a row, a pending question",
  async upgrade(op) {
    await op.createTable(botNotes);
    await op.addColumn('whatsapp_conversaciones', notUnderstood);
    await op.addColumn('whatsapp_conversaciones', pendingQuestion);
  },
  async downgrade(op) {
    await op.dropColumn('whatsapp_conversaciones', pendingQuestion.name);
    await op.dropColumn('whatsapp_conversaciones', notUnderstood.name);
    await op.dropTable(botNotes.name);
  },
});
