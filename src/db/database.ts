import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { CharlaError } from '../errors/charla-error.js';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { connectionSecrets, describeDatabase, redactDatabaseSecrets, type DatabaseUrl } from '../config/database-url.js';
import type { DialectSupport, RateLimit } from './dialects/dialect-support.js';
import { openDialect, type OpenedDialect } from './dialects/open-dialect.js';
import type { EventListening } from './event-wakeups.js';
import type { Tables } from './tables.js';

export { dialectSupportFor } from './dialects/open-dialect.js';

export interface Database {
  readonly kysely: Kysely<Tables>;
  readonly support: DialectSupport;
  readonly url: DatabaseUrl;
  /**
   * A rate limiter shared by every process on this database, on this process's own connections:
   * counters in `whatsapp_limite_envios` on PostgreSQL and MySQL, in memory where only one process
   * can open the database (PGlite).
   */
  rateLimiter(limit: RateLimit): RateLimiterAbstract;
  /**
   * Calls `onWake` whenever inbox events may have been committed, by any process: LISTEN/NOTIFY on
   * a connection of its own (PostgreSQL, reconnecting with backoff), PGlite's own notifications
   * (in process), or a poll of the newest event id every 250 ms (MySQL/MariaDB). Closed with the
   * database if not before.
   */
  listenForEvents(onWake: () => void, onError?: (error: unknown) => void): Promise<EventListening>;
  /** Resolves when the database answers a trivial query (readiness). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Opens the database of `url` and checks that it answers, with a clear error when it does not. */
export async function openDatabase(url: DatabaseUrl, options: { poolSize?: number } = {}): Promise<Database> {
  let opened: OpenedDialect;
  try {
    opened = await openDialect(url, options.poolSize);
  } catch (cause) {
    // A driver that cannot read the URL throws at once (mysql2: "URI malformed").
    if (cause instanceof CharlaError) throw cause;
    throw unreachable(url, cause);
  }
  const kysely = opened.kysely as Kysely<Tables>;
  const dialect = opened;
  const listening = new Set<EventListening>();
  const listenForEvents = async (onWake: () => void, onError: (error: unknown) => void = () => {}): Promise<EventListening> => {
    const started = await dialect.listenForEvents(onWake, onError);
    const handle: EventListening = {
      close: async () => {
        listening.delete(handle);
        await started.close();
      },
    };
    listening.add(handle);
    return handle;
  };
  const close = async (): Promise<void> => {
    for (const handle of [...listening]) await handle.close();
    await kysely.destroy();
    await dialect.release();
  };
  const ping = async (): Promise<void> => {
    await sql`select 1`.execute(kysely);
  };
  try {
    await ping();
  } catch (cause) {
    await close().catch(() => undefined);
    throw unreachable(url, cause);
  }
  return {
    kysely,
    support: opened.support,
    url,
    rateLimiter: (limit) => dialect.rateLimiter(limit),
    listenForEvents,
    ping,
    close,
  };
}

/**
 * DATABASE_UNAVAILABLE with the driver's reason. The driver's message can quote a misread URL
 * (pg reports a socket path made of it), so it goes through the same redaction as the URL, and
 * the cause kept is a copy with that message: the original may hold the password elsewhere.
 */
function unreachable(url: DatabaseUrl, thrown: unknown): CharlaError {
  const reason = redactDatabaseSecrets(thrown instanceof Error ? thrown.message : String(thrown), connectionSecrets(url));
  const cause = Object.assign(new Error(reason), thrown instanceof Error && 'code' in thrown ? { code: thrown.code } : {});
  return new CharlaError(
    'DATABASE_UNAVAILABLE',
    `Cannot reach ${describeDatabase(url)}: ${reason}. Is it running, and is DATABASE_URL right?`,
    {
      cause,
    },
  );
}
