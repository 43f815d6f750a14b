import type { Kysely } from 'kysely';
import type { DialectSupport } from '../db/dialects/dialect-support.js';
import type { Role, Tables } from '../db/tables.js';
import { CharlaError } from '../errors/charla-error.js';
import {
  anyAgentExists,
  createAgent,
  findAgent,
  lockActiveAdminIds,
  lockAgent,
  updateAgentRow,
  validAgentName,
  validPassword,
  validRole,
  type AgentRow,
  type NewAgent,
} from './agents.repository.js';
import { deleteAgentSessions } from './auth.repository.js';
import { generatedPassword, hashPassword } from './password.js';

/**
 * Adding and changing agents, for the admin routes and `charla agents` alike: the rules that span
 * several queries (the e-mail taken, the last active admin) live here once.
 */

/** Adds an agent (INPUT_INVALID naming the field, AGENT_EXISTS for a taken e-mail) and returns it as stored. */
export async function addAgent(db: Kysely<Tables>, support: DialectSupport, agent: NewAgent): Promise<AgentRow> {
  const id = await createAgent(db, support, agent);
  const added = await findAgent(db, id);
  if (!added) throw new Error(`Agent ${id} was added but cannot be read back.`);
  return added;
}

export interface AgentChanges {
  nombre?: string | undefined;
  rol?: Role | undefined;
  activo?: boolean | undefined;
  password?: string | undefined;
}

/**
 * Changes an agent and returns it as stored; null when there is no agent `id`. Deactivating or a
 * new password ends the agent's sessions. Refuses (LAST_ADMIN) a change that would leave no active
 * admin: the active admins' rows are locked (FOR UPDATE) for the check and the update, so two
 * admins demoting each other at once cannot both succeed.
 */
export async function updateAgent(db: Kysely<Tables>, id: number, changes: AgentChanges): Promise<AgentRow | null> {
  // Checked and hashed before the transaction: no row stays locked while scrypt runs.
  const nombre = changes.nombre === undefined ? undefined : validAgentName(changes.nombre);
  const rol = changes.rol === undefined ? undefined : validRole(changes.rol);
  const clave_hash = changes.password === undefined ? undefined : await hashPassword(validPassword(changes.password));
  const { activo } = changes;
  const updated = await db.transaction().execute(async (trx) => {
    const activeAdmins = await lockActiveAdminIds(trx);
    const target = await lockAgent(trx, id);
    if (!target) return false;
    const staysActiveAdmin = (rol ?? target.rol) === 'admin' && (activo ?? Boolean(target.activo));
    if (activeAdmins.includes(id) && !staysActiveAdmin && activeAdmins.length <= 1) {
      throw new CharlaError('LAST_ADMIN', `Agent ${id} is the last active admin; make another agent admin first.`);
    }
    await updateAgentRow(trx, id, {
      ...(nombre === undefined ? {} : { nombre }),
      ...(rol === undefined ? {} : { rol }),
      ...(activo === undefined ? {} : { activo }),
      ...(clave_hash === undefined ? {} : { clave_hash }),
    });
    if (activo === false || clave_hash !== undefined) await deleteAgentSessions(trx, id);
    return true;
  });
  return updated ? ((await findAgent(db, id)) ?? null) : null;
}

/** The e-mail of the admin a fresh embedded database gets. */
export const FIRST_ADMIN_EMAIL = 'admin@charla.local';

/**
 * A database without agents gets an admin (FIRST_ADMIN_EMAIL, a generated password), so that the API
 * and the inbox can be tried at once; returns the credentials to show once, or null when agents exist.
 */
export async function addFirstAdmin(
  db: Kysely<Tables>,
  support: DialectSupport,
): Promise<{ id: number; email: string; password: string } | null> {
  if (await anyAgentExists(db)) return null;
  const admin = { email: FIRST_ADMIN_EMAIL, password: generatedPassword() };
  const id = await createAgent(db, support, { ...admin, nombre: 'Administrador', rol: 'admin' });
  return { id, ...admin };
}
