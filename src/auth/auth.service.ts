import type { Kysely } from 'kysely';
import type { Tables } from '../db/tables.js';
import { agentForSignIn } from './agents.repository.js';
import { deleteExpiredSessions, insertSession, type Principal } from './auth.repository.js';
import { UNKNOWN_AGENT_HASH, verifyPassword } from './password.js';
import { newSecret, SESSION_PREFIX } from './secret-token.js';

/** How long a sign-in lasts. */
export const SESSION_HOURS = 12;

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
  const agent = await agentForSignIn(db, email);
  const matches = await verifyPassword(password, agent?.clave_hash ?? UNKNOWN_AGENT_HASH);
  if (!agent || !matches || !agent.activo) return null;
  const token = newSecret(SESSION_PREFIX);
  const expiresAt = new Date(now.getTime() + SESSION_HOURS * 3600 * 1000);
  await insertSession(db, token, agent.id, expiresAt);
  // The agent's expired sessions go as they sign in again, so the table does not grow without end.
  await deleteExpiredSessions(db, agent.id, now);
  return { token, expiresAt, principal: { kind: 'agent', agentId: agent.id, name: agent.nombre, email: agent.email, role: agent.rol } };
}
