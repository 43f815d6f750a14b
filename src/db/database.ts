import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { describeDatabase, redactDatabaseSecrets, type DatabaseUrl } from '../config/database-url.js';
import { CharlaError } from '../errors/charla-error.js';
import type { DialectSupport } from './dialects/dialect-support.js';
import { mysqlSupport, openMysql } from './dialects/mysql/mysql.dialect.js';
import { openPglite } from './dialects/pglite/pglite.dialect.js';
import { openPostgres, postgresFamilySupport } from './dialects/postgres/postgres.dialect.js';
import type { Tables } from './tables.js';

export interface Database {
  readonly kysely: Kysely<Tables>;
  readonly support: DialectSupport;
  readonly url: DatabaseUrl;
  close(): Promise<void>;
}

/** Opens the database of `url` and checks that it answers, with a clear error when it does not. */
export async function openDatabase(url: DatabaseUrl, options: { poolSize?: number } = {}): Promise<Database> {
  const opened = url.kind === 'pglite' ? await openPglite(url.dataDir) : { ...openServer(url, options.poolSize), release: async () => {} };
  const kysely = opened.kysely as Kysely<Tables>;
  const close = async (): Promise<void> => {
    await kysely.destroy();
    await opened.release();
  };
  try {
    await sql`select 1`.execute(kysely);
  } catch (cause) {
    await close().catch(() => undefined);
    throw unreachable(url, cause);
  }
  return { kysely, support: opened.support, url, close };
}

function openServer(
  url: Extract<DatabaseUrl, { kind: 'postgres' | 'mysql' }>,
  poolSize: number | undefined,
): ReturnType<typeof openPostgres> {
  try {
    return url.kind === 'postgres' ? openPostgres(url.url, poolSize) : openMysql(url.url, poolSize);
  } catch (cause) {
    // A driver that cannot read the URL throws at once (mysql2: "URI malformed").
    throw unreachable(url, cause);
  }
}

/**
 * DATABASE_UNAVAILABLE with the driver's reason. The driver's message can quote a misread URL
 * (pg reports a socket path made of it), so it goes through the same redaction as the URL, and
 * the cause kept is a copy with that message: the original may hold the password elsewhere.
 */
function unreachable(url: DatabaseUrl, thrown: unknown): CharlaError {
  const raw = url.kind === 'pglite' ? '' : url.url;
  const reason = redactDatabaseSecrets(thrown instanceof Error ? thrown.message : String(thrown), raw);
  const cause = Object.assign(new Error(reason), thrown instanceof Error && 'code' in thrown ? { code: thrown.code } : {});
  return new CharlaError(
    'DATABASE_UNAVAILABLE',
    `Cannot reach ${describeDatabase(url)}: ${reason}. Is it running, and is DATABASE_URL right?`,
    {
      cause,
    },
  );
}

/** The dialect support of a kind of database, without connecting (for `--sql`). */
export function dialectSupportFor(kind: DatabaseUrl['kind']): DialectSupport {
  if (kind === 'mysql') return mysqlSupport;
  return postgresFamilySupport(kind === 'postgres' ? 'PostgreSQL' : 'PGlite');
}
