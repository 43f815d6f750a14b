import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { PGlite, types } from '@electric-sql/pglite';
import { Kysely } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import lockfile from 'proper-lockfile';
import { CharlaError } from '../../../errors/charla-error.js';
import type { AnyKysely, DialectSupport } from '../dialect-support.js';
import { parseTimestampAsUtc, postgresFamilySupport } from '../postgres/postgres.dialect.js';

/** How long a process waits for another one to release the embedded database. */
const LOCK_WAIT_MS = 30_000;

/**
 * PGlite is PostgreSQL in this process: one process at a time may open a data directory, so the
 * directory is locked for as long as it is open and a second process waits its turn.
 */
export async function openPglite(
  dataDir: string | null,
): Promise<{ kysely: AnyKysely; support: DialectSupport; release: () => Promise<void> }> {
  let release = async (): Promise<void> => {};
  if (dataDir) {
    await mkdir(path.dirname(dataDir), { recursive: true });
    release = await lockDataDir(dataDir);
  }
  try {
    // Options go in one object: PGlite drops a second argument when the data directory is undefined.
    const client = await PGlite.create({
      ...(dataDir ? { dataDir } : {}),
      parsers: { [types.TIMESTAMP]: parseTimestampAsUtc, [types.DATE]: (text: string) => text },
    });
    await client.exec("SET TIME ZONE 'UTC'");
    const kysely = new Kysely({ dialect: new PGliteDialect(client) });
    return { kysely, support: postgresFamilySupport('PGlite'), release };
  } catch (cause) {
    await release();
    throw new CharlaError('DATABASE_UNAVAILABLE', `Could not open the embedded database at ${dataDir ?? 'memory'}: ${String(cause)}`, {
      cause,
    });
  }
}

async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  try {
    return await lockfile.lock(dataDir, {
      realpath: false,
      stale: 10_000,
      retries: { retries: LOCK_WAIT_MS / 200, factor: 1, minTimeout: 200, maxTimeout: 200 },
    });
  } catch (cause) {
    throw new CharlaError(
      'DATABASE_UNAVAILABLE',
      `Another Charla process is using the embedded database at ${dataDir} (waited ${LOCK_WAIT_MS / 1000} s). ` +
        'PGlite allows one process at a time: stop the other process, or use PostgreSQL for several processes.',
      { cause },
    );
  }
}
