import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DialectSupport } from '../db/dialects/dialect-support.js';
import type { Tables } from '../db/tables.js';
import { CharlaError } from '../errors/charla-error.js';
import { textProblem } from '../validation/storable-text.js';
import { AGENT_TEXT } from './agents.repository.js';
import {
  agentsForImport,
  insertImportedAgent,
  linkAgentToOriginalUser,
  originalUsers,
  type OriginalUserRow,
} from './legacy-users.repository.js';
import { isKnownHash } from './password.js';

/** What happened to one original user. */
export type ImportOutcome =
  | { kind: 'imported'; userId: string; email: string; agentId: number; admin: boolean }
  | { kind: 'linked'; userId: string; email: string; agentId: number }
  | { kind: 'already'; userId: string; email: string; agentId: number }
  | { kind: 'skipped'; userId: string; email: string; reason: string };

/** The password hash column of the original's users table, by the names its versions used. */
const HASH_COLUMNS = ['hashed_password', 'password_hash', 'password'];

const text = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');
/** A boolean column as PostgreSQL (true/false) and MySQL (1/0) return it. */
const truthy = (value: unknown): boolean => value === true || value === 1 || value === '1' || value === 't' || value === 'true';

/**
 * `charla agents import-legacy`: an agent for each user of the original system's users table on the
 * same database (docs/side-by-side.md, "Moving the users"). Admins stay admins (`is_admin`, or `rol`
 * "admin"), inactive users stay unable to sign in, and the bcrypt hash is kept as it is: the user
 * signs in with the original password, which is then re-hashed with Charla's scheme. A user whose
 * e-mail an agent has already is tied to that agent (its password and role unchanged); a user
 * imported before is left alone, so running it twice changes nothing. `dryRun` reports without
 * writing.
 */
export async function importOriginalUsers(
  db: Kysely<Tables>,
  support: DialectSupport,
  options: { table: string; dryRun: boolean },
): Promise<ImportOutcome[]> {
  const users = await originalUsers(db, support, options.table);
  if (users === null)
    throw new CharlaError(
      'INPUT_INVALID',
      `There is no table "${options.table}" on this database: name the original's users table with --table.`,
    );
  const agents = await agentsForImport(db);
  const byOriginalId = new Map(agents.filter((a) => a.usuario_original_id !== null).map((a) => [a.usuario_original_id, a.id]));
  const byEmail = new Map(agents.map((a) => [a.email, a]));
  const outcomes: ImportOutcome[] = [];
  for (const user of users) outcomes.push(await importOne(db, support, user, { byOriginalId, byEmail, dryRun: options.dryRun }));
  return outcomes;
}

async function importOne(
  db: Kysely<Tables>,
  support: DialectSupport,
  user: OriginalUserRow,
  known: {
    byOriginalId: Map<string | null, number>;
    byEmail: Map<string, { id: number; usuario_original_id: string | null }>;
    dryRun: boolean;
  },
): Promise<ImportOutcome> {
  const rawId = user['id'];
  const userId = typeof rawId === 'number' || typeof rawId === 'bigint' || typeof rawId === 'string' ? String(rawId).trim() : '';
  const email = text(user['email']).toLowerCase();
  if (userId === '') return { kind: 'skipped', userId, email, reason: 'no id' };
  const imported = known.byOriginalId.get(userId);
  if (imported !== undefined) return { kind: 'already', userId, email, agentId: imported };
  if (textProblem(email, AGENT_TEXT.email) !== null || !z.email().safeParse(email).success)
    return { kind: 'skipped', userId, email, reason: 'no valid e-mail address' };
  const sameEmail = known.byEmail.get(email);
  if (sameEmail) {
    if (sameEmail.usuario_original_id !== null)
      return {
        kind: 'skipped',
        userId,
        email,
        reason: `agent ${sameEmail.id} is tied to original user ${sameEmail.usuario_original_id} already`,
      };
    if (!known.dryRun) await linkAgentToOriginalUser(db, sameEmail.id, userId);
    return { kind: 'linked', userId, email, agentId: sameEmail.id };
  }
  const hashColumn = HASH_COLUMNS.find((column) => typeof user[column] === 'string');
  const hash = hashColumn ? text(user[hashColumn]) : '';
  if (!isKnownHash(hash))
    return {
      kind: 'skipped',
      userId,
      email,
      reason: `its password hash is not bcrypt (column ${hashColumn ?? HASH_COLUMNS.join('/')}); add the agent with \`charla agents add\``,
    };
  const fullName = [text(user['nombre']), text(user['apellido'])].filter((part) => part !== '').join(' ');
  const nombre = (fullName || text(user['full_name']) || email).slice(0, AGENT_TEXT.nombre.max);
  const admin = truthy(user['is_admin']) || text(user['rol']).toLowerCase() === 'admin';
  const activo = user['is_active'] === undefined || user['is_active'] === null ? true : truthy(user['is_active']);
  const agentId = known.dryRun
    ? 0
    : await insertImportedAgent(db, support, {
        email,
        nombre,
        claveHash: hash,
        rol: admin ? 'admin' : 'agente',
        activo,
        usuarioOriginalId: userId,
      });
  // A second user with the same e-mail further down is then reported, not inserted twice.
  known.byEmail.set(email, { id: agentId, usuario_original_id: userId });
  return { kind: 'imported', userId, email, agentId, admin };
}
