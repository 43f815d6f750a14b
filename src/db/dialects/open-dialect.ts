import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import type { DatabaseUrl } from '../../config/database-url.js';
import type { AnyKysely, DialectSupport, RateLimit } from './dialect-support.js';
import { pollNewestEventId, type ListenForEvents } from '../event-wakeups.js';
import { mysqlSupport, openMysql } from './mysql/mysql.dialect.js';
import { openPglite } from './pglite/pglite.dialect.js';
import { openPostgres, postgresFamilySupport } from './postgres/postgres.dialect.js';

/** A database opened by its dialect: the query builder, what differs, and what the dialect owns. */
export interface OpenedDialect {
  kysely: AnyKysely;
  support: DialectSupport;
  /** A rate limiter on this database's own connections (see `Database.rateLimiter`). */
  rateLimiter(limit: RateLimit): RateLimiterAbstract;
  /** Wake-ups when inbox events may have been committed (see `Database.listenForEvents`). */
  listenForEvents: ListenForEvents;
  /** Releases what the dialect holds beyond the connections (PGlite: its folder's lock). */
  release(): Promise<void>;
}

/** The one place that turns a kind of DATABASE_URL into a driver. */
export async function openDialect(url: DatabaseUrl, poolSize: number | undefined): Promise<OpenedDialect> {
  switch (url.kind) {
    case 'pglite':
      return openPglite(url.dataDir);
    case 'postgres':
      return { ...openPostgres(url.url, poolSize), release: async () => {} };
    case 'mysql': {
      const opened = openMysql(url.url, poolSize);
      return { ...opened, listenForEvents: pollNewestEventId(opened.kysely), release: async () => {} };
    }
  }
}

/** The dialect support of a kind of database, without connecting (for `--sql`). */
export function dialectSupportFor(kind: DatabaseUrl['kind']): DialectSupport {
  if (kind === 'mysql') return mysqlSupport;
  return postgresFamilySupport(kind === 'postgres' ? 'PostgreSQL' : 'PGlite');
}
