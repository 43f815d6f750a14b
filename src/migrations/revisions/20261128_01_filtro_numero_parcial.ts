import { column, type, type TableSpec } from '../../db/schema/table-spec.js';
import { defineRevision } from '../engine/revision.js';

/**
 * The original front end's filter box sends part of a number (`5`, `58`, `5841`…) and expects the
 * messages whose `from_number` contains it. No index of `conversaciones_whatsapp` answers a
 * substring, on any of the three databases; the distinct sender numbers are few (one per customer,
 * plus the business numbers) and short, so the filter reads them here instead, with each number's
 * message counts, and then the messages along the existing `(from_number, timestamp, id)` or
 * `(timestamp, id)` index (docs/decisions.md, "Filtering by part of a number").
 *
 * The rows cover the messages up to the cut (`whatsapp_cortes`, clave `remitentes`); newer ones are
 * read live along the primary key. The cut is moved by src/api/sender-numbers.repository.ts in the
 * background: the first time on the first filtered request (as the statistics' cut), so this
 * revision reads no messages and takes no time on millions of them.
 */
export const senderNumbers: TableSpec = {
  name: 'whatsapp_remitentes',
  ownership: 'charla',
  columns: [
    column('numero', type.varchar(20), { primaryKey: true }),
    /** Messages with this `from_number` up to the cut: all, INBOUND, OUTBOUND. */
    column('mensajes', type.integer(), { nullable: false }),
    column('entrantes', type.integer(), { nullable: false }),
    column('salientes', type.integer(), { nullable: false }),
  ],
  indexes: [],
};

/** How far a table kept in the background has read `conversaciones_whatsapp`: ids up to `hasta_id`. */
export const cuts: TableSpec = {
  name: 'whatsapp_cortes',
  ownership: 'charla',
  columns: [
    column('clave', type.varchar(20), { primaryKey: true }),
    column('hasta_id', type.integer(), { nullable: false }),
    /** When the cut was last moved; null: never (the row is shipped with `hasta_id` 0). */
    column('calculado_en', type.timestamp()),
  ],
  indexes: [],
};

/** The senders' cut, before its first refresh: the live part is then every message. */
const sendersCut = { clave: 'remitentes', hasta_id: 0 };

export default defineRevision({
  revision: '20261128_01_filtro_numero_parcial',
  downRevision: '20261127_05_lista_inbox',
  description: 'sender numbers and their message counts, for filtering by part of a number',
  async upgrade(op) {
    await op.createTable(senderNumbers);
    await op.createTable(cuts);
    await op.insertRows(cuts.name, 'clave', [sendersCut]);
  },
  async downgrade(op) {
    await op.deleteRows(cuts.name, [{ clave: sendersCut.clave }]);
    // Derived from conversaciones_whatsapp (rebuilt after an upgrade), but dropped like the statistics'
    // cut: the downgrade asks for --yes when they hold rows, as for any table.
    await op.dropTable(cuts.name);
    await op.dropTable(senderNumbers.name);
  },
});
