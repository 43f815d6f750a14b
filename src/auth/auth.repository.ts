import type { Kysely } from 'kysely';
import type { DialectSupport } from '../db/dialects/dialect-support.js';
import { insertReturningId } from '../db/insert-returning-id.js';
import type { Role, Tables } from '../db/tables.js';
import { requireStorableText } from '../validation/storable-text.js';
import { AGENT_TEXT, validRole } from './agents.repository.js';
import { looksLikeJwt, type AccessTokens } from './access-tokens.js';
import { API_TOKEN_PREFIX, newSecret, secretHash, SESSION_PREFIX } from './secret-token.js';

/**
 * Kept while src/runtime/try-out.ts, test/api/origin-check.test.ts and test/bad-inputs-table.test.ts
 * import it from here; its home is agents.repository.ts.
 */

/** Who is calling: a signed-in agent or a machine with an API token. */
export type Principal =
  | { kind: 'agent'; agentId: number; name: string; email: string; role: Role }
  | { kind: 'token'; tokenId: number; name: string; role: Role };

/** Stores a new session of agent `agentId` under the hash of its secret; returns that hash (the session's id). */
export async function insertSession(db: Kysely<Tables>, token: string, agentId: number, expiresAt: Date): Promise<string> {
  const token_hash = secretHash(token);
  await db.insertInto('charla_sesiones').values({ token_hash, agente_id: agentId, expira_en: expiresAt }).execute();
  return token_hash;
}

/** Removes the agent's sessions that expired before `now`, and their refresh tokens. */
export async function deleteExpiredSessions(db: Kysely<Tables>, agentId: number, now: Date): Promise<void> {
  await db.deleteFrom('charla_refrescos').where('agente_id', '=', agentId).where('expira_en', '<', now).execute();
  await db.deleteFrom('charla_sesiones').where('agente_id', '=', agentId).where('expira_en', '<', now).execute();
}

/** Ends every session of agent `agentId` (deactivated, or a new password), refresh tokens included. */
export async function deleteAgentSessions(db: Kysely<Tables>, agentId: number): Promise<void> {
  await db.deleteFrom('charla_refrescos').where('agente_id', '=', agentId).execute();
  await db.deleteFrom('charla_sesiones').where('agente_id', '=', agentId).execute();
}

/** Ends the session whose secret hashes to `sessionHash`, with its refresh tokens (nothing happens for an unknown one). */
export async function deleteSession(db: Kysely<Tables>, sessionHash: string): Promise<void> {
  await db.deleteFrom('charla_refrescos').where('sesion_hash', '=', sessionHash).execute();
  await db.deleteFrom('charla_sesiones').where('token_hash', '=', sessionHash).execute();
}

/** Signs out: the session with this secret is removed (nothing happens for an unknown one). */
export async function signOut(db: Kysely<Tables>, token: string): Promise<void> {
  await deleteSession(db, secretHash(token));
}

/** The columns of an agent that make a principal. */
const PRINCIPAL_COLUMNS = ['a.id', 'a.nombre', 'a.email', 'a.rol', 'a.activo'] as const;

function agentPrincipal(row: { id: number; nombre: string; email: string; rol: Role }): Principal {
  return { kind: 'agent', agentId: row.id, name: row.nombre, email: row.email, role: row.rol };
}

/** The agent signed in by session `sessionHash` (optionally: only if it is agent `agentId`'s); null when ended, expired or deactivated. */
export async function sessionPrincipal(db: Kysely<Tables>, sessionHash: string, now: Date, agentId?: number): Promise<Principal | null> {
  let query = db
    .selectFrom('charla_sesiones as s')
    .innerJoin('charla_agentes as a', 'a.id', 's.agente_id')
    .select([...PRINCIPAL_COLUMNS, 's.expira_en'])
    .where('s.token_hash', '=', sessionHash);
  if (agentId !== undefined) query = query.where('a.id', '=', agentId);
  const row = await query.executeTakeFirst();
  if (!row || !row.activo || row.expira_en <= now) return null;
  return agentPrincipal(row);
}

/**
 * The principal behind a credential: a session secret, an API token or, when `accessTokens` is
 * given, a JWT access token (Charla's own, valid while its session is; or the original backend's,
 * standing for the agent imported from its user). Null when unknown, expired, revoked or deactivated.
 */
export async function authenticate(
  db: Kysely<Tables>,
  secret: string,
  now = new Date(),
  accessTokens?: AccessTokens,
): Promise<Principal | null> {
  if (secret.startsWith(SESSION_PREFIX)) return sessionPrincipal(db, secretHash(secret), now);
  if (secret.startsWith(API_TOKEN_PREFIX)) {
    const row = await db.selectFrom('charla_tokens_api').selectAll().where('token_hash', '=', secretHash(secret)).executeTakeFirst();
    if (!row || row.revocado_en !== null) return null;
    return { kind: 'token', tokenId: row.id, name: row.nombre, role: row.rol };
  }
  if (!accessTokens || !looksLikeJwt(secret)) return null;
  const verified = await accessTokens.verify(secret, now);
  if (!verified) return null;
  if (verified.kind === 'charla') return sessionPrincipal(db, verified.sessionHash, now, verified.agentId);
  const row = await db
    .selectFrom('charla_agentes as a')
    .select(PRINCIPAL_COLUMNS)
    .where('a.usuario_original_id', '=', verified.userId)
    .executeTakeFirst();
  return row && row.activo ? agentPrincipal(row) : null;
}

/** The token as stored (name trimmed), or INPUT_INVALID naming the field. */
export function validNewApiToken(token: { nombre: string; rol: Role }): { nombre: string; rol: Role } {
  return { nombre: requireStorableText("The token's name (nombre)", token.nombre, AGENT_TEXT.tokenNombre), rol: validRole(token.rol) };
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

/** An API token as the admins' list shows it: never the secret nor its hash. */
export interface ApiTokenRow {
  id: number;
  nombre: string;
  rol: Role;
  creado_en: Date;
  revocado_en: Date | null;
}

/** Every API token: the working ones first, then the revoked; newest first within each. */
export async function listApiTokens(db: Kysely<Tables>): Promise<ApiTokenRow[]> {
  const rows = await db
    .selectFrom('charla_tokens_api')
    .select(['id', 'nombre', 'rol', 'creado_en', 'revocado_en'])
    .orderBy('id', 'desc')
    .execute();
  return [...rows.filter((t) => t.revocado_en === null), ...rows.filter((t) => t.revocado_en !== null)];
}

/** Revokes API token `id`; false when there is no such token or it was revoked already. */
export async function revokeApiToken(db: Kysely<Tables>, id: number, now = new Date()): Promise<boolean> {
  const result = await db
    .updateTable('charla_tokens_api')
    .set({ revocado_en: now })
    .where('id', '=', id)
    .where('revocado_en', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
