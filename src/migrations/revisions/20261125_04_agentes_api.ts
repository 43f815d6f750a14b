import { column, defaults, index, type, type TableSpec } from '../../db/schema/table-spec.js';
import { defineRevision } from '../engine/revision.js';

/** The people who sign in to the inbox and the API: `admin` manages agents, `agent` answers customers. */
export const agents: TableSpec = {
  name: 'charla_agentes',
  ownership: 'charla',
  columns: [
    column('id', type.serial(), { primaryKey: true }),
    column('email', type.varchar(200), { nullable: false }),
    column('nombre', type.varchar(200), { nullable: false }),
    column('password_hash', type.varchar(255), { nullable: false }),
    column('rol', type.varchar(10), { nullable: false, default: defaults.value('agent') }),
    column('activo', type.boolean(), { nullable: false, default: defaults.value(true) }),
    column('creado_en', type.timestamp(), { nullable: false, default: defaults.now() }),
    column('actualizado_en', type.timestamp(), { nullable: false, default: defaults.now() }),
  ],
  indexes: [index('ix_charla_agentes_email', ['email'], { unique: true })],
};

/** Signed-in sessions; only the SHA-256 of the secret is kept. */
export const sessions: TableSpec = {
  name: 'charla_sesiones',
  ownership: 'charla',
  columns: [
    column('token_hash', type.varchar(64), { primaryKey: true }),
    column('agente_id', type.integer(), { nullable: false, references: { table: 'charla_agentes', column: 'id' } }),
    column('expira_en', type.timestamp(), { nullable: false }),
    column('creado_en', type.timestamp(), { nullable: false, default: defaults.now() }),
  ],
  indexes: [index('ix_charla_sesiones_agente_id', ['agente_id'])],
};

/** API tokens for machines (`charla tokens create`); only the SHA-256 is kept. */
export const apiTokens: TableSpec = {
  name: 'charla_tokens_api',
  ownership: 'charla',
  columns: [
    column('id', type.serial(), { primaryKey: true }),
    column('nombre', type.varchar(100), { nullable: false }),
    column('token_hash', type.varchar(64), { nullable: false }),
    column('rol', type.varchar(10), { nullable: false, default: defaults.value('agent') }),
    column('creado_en', type.timestamp(), { nullable: false, default: defaults.now() }),
    column('revocado_en', type.timestamp()),
  ],
  indexes: [index('ix_charla_tokens_api_token_hash', ['token_hash'], { unique: true })],
};

/**
 * The statistics of settled rows (id ≤ `hasta_id`), recounted in the background; the statistics
 * endpoint adds a live count of the newer rows, so it never scans millions of rows on a request.
 */
export const statisticsCut: TableSpec = {
  name: 'whatsapp_estadisticas',
  ownership: 'charla',
  columns: [
    column('clave', type.varchar(20), { primaryKey: true }),
    column('hasta_id', type.integer(), { nullable: false }),
    column('total', type.bigint(), { nullable: false }),
    column('inbound', type.bigint(), { nullable: false }),
    column('outbound', type.bigint(), { nullable: false }),
    column('con_cliente', type.bigint(), { nullable: false }),
    column('respuestas_enviadas', type.bigint(), { nullable: false }),
    column('calculado_en', type.timestamp(), { nullable: false }),
  ],
  indexes: [],
};

/** Who sent an agent's message (null: the bot). */
export const outboxAgent = column('agente_id', type.integer());
/** Who holds a conversation in agent mode, and how far agents have read it. */
export const conversationAgent = column('agente_id', type.integer());
export const conversationReadUpTo = column('leido_hasta_id', type.integer());

/** The API's access paths: a number's thread (both directions), a customer's, and the newest-first listing. */
export const apiIndexes = [
  index('ix_conversaciones_whatsapp_from_reciente', ['from_number', 'timestamp', 'id']),
  index('ix_conversaciones_whatsapp_to_reciente', ['to_number', 'timestamp', 'id']),
  index('ix_conversaciones_whatsapp_cliente_reciente', ['cliente_id', 'timestamp', 'id']),
  index('ix_conversaciones_whatsapp_reciente', ['timestamp', 'id']),
];
/** The inbox's conversation list, most recent first. */
export const conversationsRecentIndex = index('ix_whatsapp_conversaciones_last_inbound', ['last_inbound_at']);

export default defineRevision({
  revision: '20261125_04_agentes_api',
  downRevision: '20261125_03_limite_envios',
  description: 'agents, sessions and API tokens; statistics cut; indexes of the CRM API',
  async upgrade(op) {
    await op.createTable(agents);
    await op.createTable(sessions);
    await op.createTable(apiTokens);
    await op.createTable(statisticsCut);
    await op.addColumn('whatsapp_envios', outboxAgent);
    await op.addColumn('whatsapp_conversaciones', conversationAgent);
    await op.addColumn('whatsapp_conversaciones', conversationReadUpTo);
    await op.createIndex('whatsapp_conversaciones', conversationsRecentIndex);
    for (const spec of apiIndexes) await op.createIndex('conversaciones_whatsapp', spec);
  },
  async downgrade(op) {
    for (const spec of [...apiIndexes].reverse()) await op.dropIndex('conversaciones_whatsapp', spec.name);
    await op.dropIndex('whatsapp_conversaciones', conversationsRecentIndex.name);
    await op.dropColumn('whatsapp_conversaciones', conversationReadUpTo.name);
    await op.dropColumn('whatsapp_conversaciones', conversationAgent.name);
    await op.dropColumn('whatsapp_envios', outboxAgent.name);
    await op.dropTable(statisticsCut.name);
    await op.dropTable(apiTokens.name);
    await op.dropTable(sessions.name);
    await op.dropTable(agents.name);
  },
});
