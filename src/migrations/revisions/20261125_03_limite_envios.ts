import { column, defaults, type, type TableSpec } from '../../db/schema/table-spec.js';
import { defineRevision } from '../engine/revision.js';

/**
 * The outbound rate limit's counters, shared by every sender process (rate-limiter-flexible's
 * PostgreSQL/MySQL store, whose table Charla creates here instead of at run time).
 */
export const rateLimitTable: TableSpec = {
  name: 'whatsapp_limite_envios',
  ownership: 'charla',
  columns: [
    column('key', type.varchar(255), { primaryKey: true }),
    column('points', type.integer(), { nullable: false, default: defaults.value(0) }),
    column('expire', type.bigint()),
  ],
  indexes: [],
};

export default defineRevision({
  revision: '20261125_03_limite_envios',
  downRevision: '20261125_02_conversaciones_bot',
  description: 'outbound rate limit counters shared by all senders',
  async upgrade(op) {
    await op.createTable(rateLimitTable);
  },
  async downgrade(op) {
    await op.dropTable(rateLimitTable.name);
  },
});
