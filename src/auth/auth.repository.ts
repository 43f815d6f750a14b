import { z } from 'zod';
import type { Kysely } from 'kysely';
import type { DialectSupport } from '../db/dialects/dialect-support.js';
import { insertReturningId } from '../db/insert-returning-id.js';
import type { Role, Tables } from '../db/tables.js';
import { CharlaError } from '../errors/charla-error.js';
import { requireStorableText, textProblem, type TextRules } from '../validation/storable-text.js';
import { hashPassword, UNKNOWN_AGENT_HASH, verifyPassword } from './password.js';
import { API_TOKEN_PREFIX, newSecret, secretHash, SESSION_PREFIX } from './secret-token.js';

/** How long a sign-in lasts. */
export const SESSION_HOURS = 12;

/** Who is calling: a signed-in agent or a machine with an API token. */
export type Principal =
  | { kind: 'agent'; agentId: number; name: string; email: string; role: Role }
  | { kind: 'token'; tokenId: number; name: string; role: Role };

export interface NewAgent {
  email: string;
  nombre: string;
  password: string;
  rol: Role;
}

/** At least 10 characters: long passwords beat complexity rules (NIST SP 800-63B). */
export const MIN_PASSWORD_LENGTH = 10;

/**
 * The text fields of agents and tokens, sized to their columns (revision 20261125_04_agentes_api):
 * used by the routes' schemas and, for the CLI, by the functions below.
 */
export const AGENT_TEXT = {
  email: { min: 3, max: 200 },
  nombre: { min: 1, max: 200 },
  /** Only its hash is stored; the limit keeps hashing cheap. Taken as typed (not trimmed). */
  password: { min: MIN_PASSWORD_LENGTH, max: 1024, trim: false },
  tokenNombre: { min: 1, max: 100 },
} as const satisfies Record<string, TextRules>;

const ROLES: readonly Role[] = ['admin', 'agent'];

function validRole(role: string): Role {
  if (!(ROLES as readonly string[]).includes(role))
    throw new CharlaError('INPUT_INVALID', `The role must be admin or agent, not "${role}".`);
  return role as Role;
}

function requirePassword(password: string): string {
  return requireStorableText('The password', password, AGENT_TEXT.password);
}

/** The agent as stored (e-mail trimmed and lower-cased, name trimmed), or INPUT_INVALID naming the field. */
export function validNewAgent(agent: NewAgent): NewAgent {
  const email = requireStorableText('The e-mail', agent.email, AGENT_TEXT.email).toLowerCase();
  if (!z.email().safeParse(email).success)
    throw new CharlaError('INPUT_INVALID', `${JSON.stringify(agent.email)} is not an e-mail address.`);
  return {
    email,
    nombre: requireStorableText("The agent's name (nombre)", agent.nombre, AGENT_TEXT.nombre),
    password: requirePassword(agent.password),
    rol: validRole(agent.rol),
  };
}

/** The token as stored (name trimmed), or INPUT_INVALID naming the field. */
export function validNewApiToken(token: { nombre: string; rol: Role }): { nombre: string; rol: Role } {
  return { nombre: requireStorableText("The token's name (nombre)", token.nombre, AGENT_TEXT.tokenNombre), rol: validRole(token.rol) };
}

const agentExists = (email: string, found: { id?: number; cause?: unknown }) =>
  new CharlaError(
    'AGENT_EXISTS',
    `An agent with e-mail ${email} exists already${found.id === undefined ? '' : ` (id ${found.id})`}.`,
    found.cause === undefined ? undefined : { cause: found.cause },
  );

export async function createAgent(db: Kysely<Tables>, support: DialectSupport, agent: NewAgent): Promise<number> {
  const { email, nombre, password, rol } = validNewAgent(agent);
  const existing = await db.selectFrom('charla_agentes').select('id').where('email', '=', email).executeTakeFirst();
  if (existing) throw agentExists(email, { id: existing.id });
  const password_hash = await hashPassword(password);
  try {
    return await insertReturningId(db, support, 'charla_agentes', { email, nombre, password_hash, rol });
  } catch (error) {
    // Another request added the same e-mail between the check and the insert: the unique index decides.
    if (support.isUniqueViolation(error)) throw agentExists(email, { cause: error });
    throw error;
  }
}

export interface AgentChanges {
  nombre?: string | undefined;
  rol?: Role | undefined;
  activo?: boolean | undefined;
  password?: string | undefined;
}

/**
 * Changes an agent; false when there is no agent `id`. Deactivating or a new password ends the
 * agent's sessions. Refuses (LAST_ADMIN) a change that would leave no active admin: the active
 * admins' rows are locked (FOR UPDATE) for the check and the update, so two admins demoting each
 * other at once cannot both succeed.
 */
export async function updateAgent(db: Kysely<Tables>, id: number, changes: AgentChanges): Promise<boolean> {
  const nombre =
    changes.nombre === undefined ? undefined : requireStorableText("The agent's name (nombre)", changes.nombre, AGENT_TEXT.nombre);
  const rol = changes.rol === undefined ? undefined : validRole(changes.rol);
  const password_hash = changes.password === undefined ? undefined : await hashPassword(requirePassword(changes.password));
  return db.transaction().execute(async (trx) => {
    const activeAdmins = await trx
      .selectFrom('charla_agentes')
      .select('id')
      .where('rol', '=', 'admin')
      .where('activo', '=', true)
      .orderBy('id')
      .forUpdate()
      .execute();
    const target = await trx
      .selectFrom('charla_agentes')
      .select(['id', 'rol', 'activo'])
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!target) return false;
    const staysActiveAdmin = (rol ?? target.rol) === 'admin' && (changes.activo ?? Boolean(target.activo));
    if (activeAdmins.some((a) => a.id === id) && !staysActiveAdmin && activeAdmins.length <= 1) {
      throw new CharlaError('LAST_ADMIN', `Agent ${id} is the last active admin; make another agent admin first.`);
    }
    await trx
      .updateTable('charla_agentes')
      .set({
        ...(nombre === undefined ? {} : { nombre }),
        ...(rol === undefined ? {} : { rol }),
        ...(changes.activo === undefined ? {} : { activo: changes.activo }),
        ...(password_hash === undefined ? {} : { password_hash }),
        actualizado_en: new Date(),
      })
      .where('id', '=', id)
      .execute();
    if (changes.activo === false || password_hash !== undefined)
      await trx.deleteFrom('charla_sesiones').where('agente_id', '=', id).execute();
    return true;
  });
}

/**
 * Checks an e-mail and password; on success opens a session and returns its secret (shown once,
 * stored only as a hash). An unknown e-mail costs the same time as a wrong password.
 */
export async function signIn(
  db: Kysely<Tables>,
  email: string,
  password: string,
  now = new Date(),
): Promise<{ token: string; principal: Principal; expiresAt: Date } | null> {
  const normalised = email.trim().toLowerCase();
  // An e-mail no column could hold (NUL, say) belongs to no agent; PostgreSQL would refuse the query.
  const agent =
    textProblem(normalised, AGENT_TEXT.email) === null
      ? await db.selectFrom('charla_agentes').selectAll().where('email', '=', normalised).executeTakeFirst()
      : undefined;
  const matches = await verifyPassword(password, agent?.password_hash ?? UNKNOWN_AGENT_HASH);
  if (!agent || !matches || !agent.activo) return null;
  const token = newSecret(SESSION_PREFIX);
  const expiresAt = new Date(now.getTime() + SESSION_HOURS * 3600 * 1000);
  await db
    .insertInto('charla_sesiones')
    .values({ token_hash: secretHash(token), agente_id: agent.id, expira_en: expiresAt })
    .execute();
  // The agent's expired sessions go as they sign in again, so the table does not grow without end.
  await db.deleteFrom('charla_sesiones').where('agente_id', '=', agent.id).where('expira_en', '<', now).execute();
  return { token, expiresAt, principal: { kind: 'agent', agentId: agent.id, name: agent.nombre, email: agent.email, role: agent.rol } };
}

export async function signOut(db: Kysely<Tables>, token: string): Promise<void> {
  await db.deleteFrom('charla_sesiones').where('token_hash', '=', secretHash(token)).execute();
}

/** The principal behind a session or API token; null when unknown, expired, revoked or deactivated. */
export async function authenticate(db: Kysely<Tables>, secret: string, now = new Date()): Promise<Principal | null> {
  const hash = secretHash(secret);
  if (secret.startsWith(SESSION_PREFIX)) {
    const row = await db
      .selectFrom('charla_sesiones as s')
      .innerJoin('charla_agentes as a', 'a.id', 's.agente_id')
      .select(['a.id', 'a.nombre', 'a.email', 'a.rol', 'a.activo', 's.expira_en'])
      .where('s.token_hash', '=', hash)
      .executeTakeFirst();
    if (!row || !row.activo || row.expira_en <= now) return null;
    return { kind: 'agent', agentId: row.id, name: row.nombre, email: row.email, role: row.rol };
  }
  if (secret.startsWith(API_TOKEN_PREFIX)) {
    const row = await db.selectFrom('charla_tokens_api').selectAll().where('token_hash', '=', hash).executeTakeFirst();
    if (!row || row.revocado_en !== null) return null;
    return { kind: 'token', tokenId: row.id, name: row.nombre, role: row.rol };
  }
  return null;
}

/** A new API token for a machine; the secret is returned once and stored only as a hash. */
export async function createApiToken(
  db: Kysely<Tables>,
  support: DialectSupport,
  token: { nombre: string; rol: Role },
): Promise<{ id: number; secret: string }> {
  const { nombre, rol } = validNewApiToken(token);
  const secret = newSecret(API_TOKEN_PREFIX);
  const id = await insertReturningId(db, support, 'charla_tokens_api', { nombre, token_hash: secretHash(secret), rol });
  return { id, secret };
}
