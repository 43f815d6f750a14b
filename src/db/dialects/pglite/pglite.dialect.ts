import { PGlite, types } from '@electric-sql/pglite';
import { Kysely } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import { CharlaError } from '../../../errors/charla-error.js';
import { RateLimiterMemory, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { EVENTS_CHANNEL, type AnyKysely, type DialectSupport, type RateLimit } from '../dialect-support.js';
import type { ListenForEvents } from '../../event-wakeups.js';
import { parseTimestampAsUtc, postgresFamilySupport } from '../postgres/postgres.dialect.js';
import { lockDataDir } from './data-dir-lock.js';
import { checkDataDirShape, checkWritable, describeCause } from './data-dir.js';

/** How long a process waits for another one to release the embedded database. */
const LOCK_WAIT_MS = 30_000;

/**
 * PGlite is PostgreSQL in this process: one process at a time may open a data directory, so the
 * directory is locked for as long as it is open and a second process waits its turn.
 * `lockWaitMs` is for tests; Charla waits `LOCK_WAIT_MS`.
 */
export async function openPglite(
  dataDir: string | null,
  options: { lockWaitMs?: number } = {},
): Promise<{
  kysely: AnyKysely;
  support: DialectSupport;
  rateLimiter: (limit: RateLimit) => RateLimiterAbstract;
  listenForEvents: ListenForEvents;
  release: () => Promise<void>;
}> {
  let release = async (): Promise<void> => {};
  if (dataDir) {
    await checkDataDirShape(dataDir);
    release = await lockDataDir(dataDir, options.lockWaitMs ?? LOCK_WAIT_MS);
    try {
      await checkWritable(dataDir);
    } catch (error) {
      await release();
      throw error;
    }
  }
  try {
    // Options go in one object: PGlite drops a second argument when the data directory is undefined.
    const client = await PGlite.create({
      ...(dataDir ? { dataDir } : {}),
      parsers: { [types.TIMESTAMP]: parseTimestampAsUtc, [types.DATE]: (text: string) => text },
    });
    await client.exec("SET TIME ZONE 'UTC'");
    const kysely = new Kysely({ dialect: new PGliteDialect(client) });
    // Only this process can open the database, so counters in memory are shared by everyone there is.
    // The writers are in this process too: PGlite delivers its own NOTIFY to its listeners at commit.
    const listenForEvents: ListenForEvents = async (onWake) => {
      const unlisten = await client.listen(EVENTS_CHANNEL, () => onWake());
      return { close: () => unlisten().catch(() => undefined) };
    };
    return {
      kysely,
      support: postgresFamilySupport('PGlite'),
      rateLimiter: (limit) => new RateLimiterMemory(limit),
      listenForEvents,
      release,
    };
  } catch (cause) {
    await release();
    throw new CharlaError(
      'DATABASE_UNAVAILABLE',
      `Could not open the embedded database at ${dataDir ?? 'memory'}: ${describeCause(cause)}`,
      {
        cause,
      },
    );
  }
}
