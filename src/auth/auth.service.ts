import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DialectSupport } from '../db/dialects/dialect-support.js';
import type { Role, Tables } from '../db/tables.js';
import { CharlaError } from '../errors/charla-error.js';
import { ACCESS_TOKEN_SECONDS, AccessTokens, looksLikeJwt } from './access-tokens.js';
import { agentForSignIn, findAgent, recordSignIn } from './agents.repository.js';
import { deleteExpiredSessions, deleteSession, insertSession, sessionPrincipal, signOut, type Principal } from './auth.repository.js';
import { ownKey } from './own-keys.repository.js';
import { hashPassword, needsRehash, UNKNOWN_AGENT_HASH, verifyPassword } from './password.js';
import { extendSession, insertRefreshToken, lockRefreshToken, markRefreshTokenUsed } from './refresh-tokens.repository.js';
import { newSecret, REFRESH_PREFIX, SESSION_PREFIX } from './secret-token.js';

/** How long a sign-in lasts; with `remember` (the original front end's check box), REMEMBERED_DAYS. */
export const SESSION_HOURS = 12;
export const REMEMBERED_DAYS = 30;

const sessionMs = (remember: boolean): number => (remember ? REMEMBERED_DAYS * 24 : SESSION_HOURS) * 3_600_000;

/**
 * Charla's access tokens, their key read once when first needed (JWT_SECRET, else the random one kept
 * in the database); a failed read is tried again on the next call.
 */
export function accessTokensOnce(
  db: Kysely<Tables>,
  support: DialectSupport,
  settings: { jwtSecret: string | undefined; legacyJwtSecret: string | undefined },
): () => Promise<AccessTokens> {
  let loading: Promise<AccessTokens> | null = null;
  return () => {
    loading ??= loadAccessTokens(db, support, settings).catch((error: unknown) => {
      loading = null;
      throw error;
    });
    return loading;
  };
}

/** The key of Charla's access tokens: JWT_SECRET, else the random one kept in the database. */
export async function loadAccessTokens(
  db: Kysely<Tables>,
  support: DialectSupport,
  settings: { jwtSecret: string | undefined; legacyJwtSecret: string | undefined },
): Promise<AccessTokens> {
  const key = settings.jwtSecret ?? (await ownKey(db, support, 'jwt', () => randomBytes(48).toString('base64url')));
  return new AccessTokens(key, settings.legacyJwtSecret);
}

/** The original front end's user (docs/api.md, "Signing in"): flat, its own field names. */
export interface OriginalUser {
  id: number | null;
  nombre: string;
  apellido: string;
  email: string | null;
  rol: Role;
  is_admin: boolean;
  is_active: boolean;
  created_at: string | null;
  last_login: string | null;
}

/** The original front end's flat user for a principal (an API token has no id, e-mail or dates). */
export async function originalUser(db: Kysely<Tables>, principal: Principal): Promise<OriginalUser> {
  const base = { apellido: '', rol: principal.role, is_admin: principal.role === 'admin' };
  if (principal.kind === 'token') {
    return { ...base, id: null, nombre: principal.name, email: null, is_active: true, created_at: null, last_login: null };
  }
  const agent = await findAgent(db, principal.agentId);
  return {
    ...base,
    id: principal.agentId,
    nombre: agent?.nombre ?? principal.name,
    email: agent?.email ?? principal.email,
    is_active: agent ? Boolean(agent.activo) : false,
    created_at: agent?.creado_en.toISOString() ?? null,
    last_login: agent?.ultimo_ingreso_en?.toISOString() ?? null,
  };
}

/** The original front end's token pair: a JWT access token and a refresh token, with the access token's life in seconds. */
export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

export interface SignedIn {
  /** The session's secret: the inbox's cookie, and a bearer token for API clients. */
  token: string;
  expiresAt: Date;
  principal: Principal & { kind: 'agent' };
  /** The original front end's tokens of the same session; null when no `accessTokens` were given. */
  tokens: TokenPair | null;
}

/**
 * Checks an e-mail and password; on success opens a session and returns its secret (shown once,
 * stored only as a hash) and, given `accessTokens`, a JWT access token and a refresh token of the
 * same session. An unknown e-mail costs the same time as a wrong password. A password hash
 * imported from the original system (bcrypt) is replaced by Charla's own on the first sign-in
 * that matches it.
 */
export async function signIn(
  db: Kysely<Tables>,
  email: string,
  password: string,
  options: { accessTokens?: AccessTokens; remember?: boolean; now?: Date } = {},
): Promise<SignedIn | null> {
  const now = options.now ?? new Date();
  const agent = await agentForSignIn(db, email);
  const matches = await verifyPassword(password, agent?.clave_hash ?? UNKNOWN_AGENT_HASH);
  if (!agent || !matches || !agent.activo) return null;
  const remember = options.remember ?? false;
  const token = newSecret(SESSION_PREFIX);
  const expiresAt = new Date(now.getTime() + sessionMs(remember));
  const sessionHash = await insertSession(db, token, agent.id, expiresAt);
  const tokens = options.accessTokens
    ? await issueTokens(db, options.accessTokens, { agentId: agent.id, sessionHash, remember, expiresAt }, now)
    : null;
  await recordSignIn(db, agent.id, now, needsRehash(agent.clave_hash) ? await hashPassword(password) : undefined);
  // The agent's expired sessions go as they sign in again, so the tables do not grow without end.
  await deleteExpiredSessions(db, agent.id, now);
  return {
    token,
    expiresAt,
    tokens,
    principal: { kind: 'agent', agentId: agent.id, name: agent.nombre, email: agent.email, role: agent.rol },
  };
}

async function issueTokens(
  db: Kysely<Tables>,
  accessTokens: AccessTokens,
  session: { agentId: number; sessionHash: string; remember: boolean; expiresAt: Date },
  now: Date,
): Promise<TokenPair> {
  const refreshToken = newSecret(REFRESH_PREFIX);
  await insertRefreshToken(db, refreshToken, session);
  // Whole seconds (a JWT's exp), never past the session's end.
  const accessEnds = Math.min(Math.floor(now.getTime() / 1000) + ACCESS_TOKEN_SECONDS, Math.floor(session.expiresAt.getTime() / 1000));
  const accessToken = await accessTokens.issue({ ...session, expiresAt: new Date(accessEnds * 1000) });
  return { accessToken, refreshToken, expiresIn: Math.max(0, accessEnds - Math.floor(now.getTime() / 1000)) };
}

/**
 * `POST /auth/refresh`: a new access token and the next refresh token of the same session, whose end
 * moves to a full session length from now. The presented token is used up: presenting it again
 * ends the whole session (reuse of a stolen token, RFC 9700 §4.14.2) — REFRESH_TOKEN_REUSED; an
 * unknown, expired or ended one is REFRESH_TOKEN_INVALID.
 */
export async function refreshSession(
  db: Kysely<Tables>,
  accessTokens: AccessTokens,
  refreshToken: string,
  now = new Date(),
): Promise<TokenPair> {
  const outcome = await db.transaction().execute(async (trx) => {
    const row = await lockRefreshToken(trx, refreshToken);
    if (!row) return { kind: 'invalid' } as const;
    if (row.usado_en !== null) {
      await deleteSession(trx, row.sesion_hash);
      return { kind: 'reused' } as const;
    }
    if (row.expira_en <= now || !(await sessionPrincipal(trx, row.sesion_hash, now, row.agente_id))) return { kind: 'invalid' } as const;
    await markRefreshTokenUsed(trx, row.token_hash, now);
    const expiresAt = new Date(now.getTime() + sessionMs(row.recordar));
    await extendSession(trx, row.sesion_hash, expiresAt);
    const tokens = await issueTokens(
      trx,
      accessTokens,
      { agentId: row.agente_id, sessionHash: row.sesion_hash, remember: row.recordar, expiresAt },
      now,
    );
    return { kind: 'refreshed', tokens } as const;
  });
  if (outcome.kind === 'reused')
    throw new CharlaError('REFRESH_TOKEN_REUSED', 'This refresh token was used already; its session has been ended. Sign in again.');
  if (outcome.kind === 'invalid')
    throw new CharlaError('REFRESH_TOKEN_INVALID', 'The refresh token is unknown, expired or its session ended. Sign in again.');
  return outcome.tokens;
}

/**
 * Signs out the session a credential belongs to: a session secret, or one of Charla's access
 * tokens (its session, so its refresh tokens too). An API token, an unknown secret or the original
 * backend's token changes nothing (the original backend signs its own tokens out).
 */
export async function signOutCredential(db: Kysely<Tables>, accessTokens: AccessTokens, credential: string): Promise<void> {
  if (credential.startsWith(SESSION_PREFIX)) return signOut(db, credential);
  if (!looksLikeJwt(credential)) return;
  const verified = await accessTokens.verify(credential);
  if (verified?.kind === 'charla') await deleteSession(db, verified.sessionHash);
}
