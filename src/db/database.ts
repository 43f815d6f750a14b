import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { describeDatabase, type DatabaseUrl } from '../config/database-url.js';
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
  const opened =
    url.kind === 'pglite'
      ? await openPglite(url.dataDir)
      : {
          ...(url.kind === 'postgres' ? openPostgres(url.url, options.poolSize) : openMysql(url.url, options.poolSize)),
          release: async () => {},
        };
  const kysely = opened.kysely as Kysely<Tables>;
  const close = async (): Promise<void> => {
    await kysely.destroy();
    await opened.release();
  };
  try {
    await sql`select 1`.execute(kysely);
  } catch (cause) {
    await close().catch(() => undefined);
    throw new CharlaError(
      'DATABASE_UNAVAILABLE',
      `Cannot reach ${describeDatabase(url)}: ${(cause as Error).message}. Is it running, and is DATABASE_URL right?`,
      {
        cause,
      },
    );
  }
  return { kysely, support: opened.support, url, close };
}

/** The dialect support of a kind of database, without connecting (for `--sql`). */
export function dialectSupportFor(kind: DatabaseUrl['kind']): DialectSupport {
  if (kind === 'mysql') return mysqlSupport;
  return postgresFamilySupport(kind === 'postgres' ? 'PostgreSQL' : 'PGlite');
}
