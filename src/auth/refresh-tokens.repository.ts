import type { Kysely } from 'kysely';
import type { Tables } from '../db/tables.js';
import { secretHash } from './secret-token.js';

/** A refresh token as stored (`charla_refrescos`), found by its secret. */
export interface RefreshTokenRow {
  token_hash: string;
  sesion_hash: string;
  agente_id: number;
  recordar: boolean;
  expira_en: Date;
  usado_en: Date | null;
}

/** Stores refresh token `secret` (its hash) of session `sessionHash`. */
export async function insertRefreshToken(
  db: Kysely<Tables>,
  secret: string,
  token: { sessionHash: string; agentId: number; remember: boolean; expiresAt: Date },
): Promise<void> {
  await db
    .insertInto('charla_refrescos')
    .values({
      token_hash: secretHash(secret),
      sesion_hash: token.sessionHash,
      agente_id: token.agentId,
      recordar: token.remember,
      expira_en: token.expiresAt,
    })
    .execute();
}

/** The refresh token with this secret, its row locked (FOR UPDATE) until `trx` ends; undefined when unknown. */
export async function lockRefreshToken(trx: Kysely<Tables>, secret: string): Promise<RefreshTokenRow | undefined> {
  const row = await trx
    .selectFrom('charla_refrescos')
    .select(['token_hash', 'sesion_hash', 'agente_id', 'recordar', 'expira_en', 'usado_en'])
    .where('token_hash', '=', secretHash(secret))
    .forUpdate()
    .executeTakeFirst();
  return row && { ...row, recordar: Boolean(row.recordar) };
}

/** Marks a refresh token used (by its hash). */
export async function markRefreshTokenUsed(trx: Kysely<Tables>, tokenHash: string, now: Date): Promise<void> {
  await trx.updateTable('charla_refrescos').set({ usado_en: now }).where('token_hash', '=', tokenHash).execute();
}

/** Moves session `sessionHash`'s end to `expiresAt` (a refresh keeps a session in use alive). */
export async function extendSession(trx: Kysely<Tables>, sessionHash: string, expiresAt: Date): Promise<void> {
  await trx.updateTable('charla_sesiones').set({ expira_en: expiresAt }).where('token_hash', '=', sessionHash).execute();
}
