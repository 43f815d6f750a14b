import { sql, type Kysely } from 'kysely';
import type { DialectSupport } from '../db/dialects/dialect-support.js';
import { insertReturningId } from '../db/insert-returning-id.js';
import type { Role, Tables } from '../db/tables.js';

/** A row of the original system's users table, as read (column names vary between its versions). */
export type OriginalUserRow = Record<string, unknown>;

/**
 * Every row of the original system's users table `table` (on the same database; a few hundred
 * rows at most), or null when there is no such table.
 */
export async function originalUsers(db: Kysely<Tables>, support: DialectSupport, table: string): Promise<OriginalUserRow[] | null> {
  try {
    const result = await sql<OriginalUserRow>`select * from ${sql.table(table)} order by id`.execute(db);
    return result.rows;
  } catch (error) {
    if (support.isMissingTable(error)) return null;
    throw error;
  }
}

/** The agents already tied to an original user (`usuario_original_id`) and every agent's e-mail, for matching. */
export async function agentsForImport(db: Kysely<Tables>): Promise<{ id: number; email: string; usuario_original_id: string | null }[]> {
  return db.selectFrom('charla_agentes').select(['id', 'email', 'usuario_original_id']).execute();
}

/** Adds an agent imported from original user `usuarioOriginalId`, keeping its password hash as it was (bcrypt). */
export async function insertImportedAgent(
  db: Kysely<Tables>,
  support: DialectSupport,
  agent: { email: string; nombre: string; claveHash: string; rol: Role; activo: boolean; usuarioOriginalId: string },
): Promise<number> {
  return insertReturningId(db, support, 'charla_agentes', {
    email: agent.email,
    nombre: agent.nombre,
    clave_hash: agent.claveHash,
    rol: agent.rol,
    activo: agent.activo,
    usuario_original_id: agent.usuarioOriginalId,
  });
}

/** Ties an existing agent to original user `usuarioOriginalId` (their tokens then stand for the agent). */
export async function linkAgentToOriginalUser(db: Kysely<Tables>, agentId: number, usuarioOriginalId: string): Promise<void> {
  await db.updateTable('charla_agentes').set({ usuario_original_id: usuarioOriginalId }).where('id', '=', agentId).execute();
}
