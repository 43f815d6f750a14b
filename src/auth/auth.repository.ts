import { z } from 'zod';
import type { Kysely } from 'kysely';
import type { DialectSupport } from '../db/dialects/dialect-support.js';
import { insertReturningId } from '../db/insert-returning-id.js';
import type { Role, Tables } from '../db/tables.js';
import { CharlaError } from '../errors/charla-error.js';
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

function checkPassword(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new CharlaError('HTTP_BAD_REQUEST', `The password must have at least ${MIN_PASSWORD_LENGTH} characters.`);
  }
}

export async function createAgent(db: Kysely<Tables>, support: DialectSupport, agent: NewAgent): Promise<number> {
  checkPassword(agent.password);
  const email = agent.email.trim().toLowerCase();
  if (!z.email().safeParse(email).success) throw new CharlaError('HTTP_BAD_REQUEST', `"${agent.email}" is not an e-mail address.`);
  const existing = await db.selectFrom('charla_agentes').select('id').where('email', '=', email).executeTakeFirst();
  if (existing) throw new CharlaError('AGENT_EXISTS', `An agent with e-mail ${email} exists already (id ${existing.id}).`);
  return insertReturningId(db, support, 'charla_agentes', {
    email,
    nombre: agent.nombre.trim(),
    password_hash: await hashPassword(agent.password),
    rol: agent.rol,
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
  const agent = await db.selectFrom('charla_agentes').selectAll().where('email', '=', email.trim().toLowerCase()).executeTakeFirst();
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
  const secret = newSecret(API_TOKEN_PREFIX);
  const id = await insertReturningId(db, support, 'charla_tokens_api', {
    nombre: token.nombre.trim(),
    token_hash: secretHash(secret),
    rol: token.rol,
  });
  return { id, secret };
}
