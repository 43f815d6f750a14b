import { column, defaults, index, type, type TableSpec } from '../../db/schema/table-spec.js';
import { defineRevision } from '../engine/revision.js';

/**
 * Refresh tokens of the original front end's sign-in (`POST /api/v1/auth/refresh`), only their
 * SHA-256 kept. Each belongs to a session (`sesion_hash` = `charla_sesiones.token_hash`); a refresh
 * marks the token used (`usado_en`) and issues the next one of the same session, so a used token
 * presented again is a reuse: the whole session ends (docs/decisions.md, "Sign-in of the original
 * front end"). `recordar`: signed in with `remember`, the session lasts 30 days instead of 12 hours.
 */
export const refreshTokens: TableSpec = {
  name: 'charla_refrescos',
  ownership: 'charla',
  columns: [
    column('token_hash', type.varchar(64), { primaryKey: true }),
    column('sesion_hash', type.varchar(64), { nullable: false }),
    column('agente_id', type.integer(), { nullable: false }),
    column('recordar', type.boolean(), { nullable: false, default: defaults.value(false) }),
    column('expira_en', type.timestamp(), { nullable: false }),
    column('usado_en', type.timestamp()),
    column('creado_en', type.timestamp(), { nullable: false, default: defaults.now() }),
  ],
  indexes: [index('ix_charla_refrescos_sesion_hash', ['sesion_hash']), index('ix_charla_refrescos_agente_id', ['agente_id'])],
};

/**
 * Secrets Charla makes for itself, one row each (`jwt`: the HS256 key of the access tokens it
 * issues, unless JWT_SECRET is set).
 */
export const ownKeys: TableSpec = {
  name: 'charla_claves',
  ownership: 'charla',
  columns: [
    column('nombre', type.varchar(40), { primaryKey: true }),
    column('valor', type.varchar(200), { nullable: false }),
    column('creado_en', type.timestamp(), { nullable: false, default: defaults.now() }),
  ],
  indexes: [],
};

/** The original system's `users.id` of an agent made by `charla agents import-legacy` (its tokens' `sub`). */
export const originalUserId = column('usuario_original_id', type.varchar(64));
export const originalUserIndex = index('ix_charla_agentes_usuario_original_id', ['usuario_original_id'], { unique: true });
/** When the agent last signed in (the original front end's `last_login`). */
export const lastSignIn = column('ultimo_ingreso_en', type.timestamp());

export default defineRevision({
  revision: '20261128_02_sesiones_jwt',
  downRevision: '20261128_01_filtro_numero_parcial',
  description: 'sign-in of the original front end: refresh tokens, own keys, imported users',
  async upgrade(op) {
    await op.createTable(refreshTokens);
    await op.createTable(ownKeys);
    await op.addColumn('charla_agentes', originalUserId);
    await op.addColumn('charla_agentes', lastSignIn);
    await op.createIndex('charla_agentes', originalUserIndex);
  },
  async downgrade(op) {
    await op.dropIndex('charla_agentes', originalUserIndex.name);
    await op.dropColumn('charla_agentes', lastSignIn.name);
    await op.dropColumn('charla_agentes', originalUserId.name);
    await op.dropTable(ownKeys.name);
    await op.dropTable(refreshTokens.name);
  },
});
