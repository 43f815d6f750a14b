import { createApiToken } from '../../src/auth/auth.repository.js';
import type { Database } from '../../src/db/database.js';
import type { Role } from '../../src/db/tables.js';

/** `Authorization` headers of a fresh API token with `role` (a SHA-256, so cheap to make per test). */
export async function bearer(database: Database, role: Role = 'agente'): Promise<{ authorization: string }> {
  const { secret } = await createApiToken(database.kysely, database.support, { nombre: `test ${role}`, rol: role });
  return { authorization: `Bearer ${secret}` };
}
