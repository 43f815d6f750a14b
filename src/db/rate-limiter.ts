import mysql from 'mysql2';
import pg from 'pg';
import { RateLimiterMemory, RateLimiterMySQL, RateLimiterPostgres, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { DatabaseUrl } from '../config/database-url.js';
import { ignoreIdleClientErrors } from './dialects/postgres/postgres.dialect.js';

/** Created by revision 20261125_03_limite_envios (runtime code names it, never imports a revision). */
const RATE_LIMIT_TABLE = 'whatsapp_limite_envios';

export interface RateLimit {
  /** Points per window. */
  points: number;
  /** Window length, seconds. */
  duration: number;
  /** Keeps different limits apart in the shared table. */
  keyPrefix: string;
}

/**
 * A rate-limiter-flexible limiter shared by every process: counters in the database's
 * `whatsapp_limite_envios` table on PostgreSQL and MySQL (its own two-connection pool), in memory
 * for PGlite, which only one process can open anyway.
 */
export function createRateLimiter(database: DatabaseUrl, limit: RateLimit): { limiter: RateLimiterAbstract; close: () => Promise<void> } {
  const store = { tableName: RATE_LIMIT_TABLE, tableCreated: true, clearExpiredByTimeout: false, storeType: 'pool' } as const;
  if (database.kind === 'postgres') {
    const pool = new pg.Pool({ connectionString: database.url, max: 2 });
    ignoreIdleClientErrors(pool);
    return { limiter: new RateLimiterPostgres({ ...limit, ...store, storeClient: pool }), close: () => pool.end() };
  }
  if (database.kind === 'mysql') {
    const pool = mysql.createPool({ uri: database.url, connectionLimit: 2 });
    const dbName = decodeURIComponent(new URL(database.url).pathname.slice(1));
    return {
      limiter: new RateLimiterMySQL({ ...limit, ...store, storeClient: pool, dbName }),
      close: () => new Promise((resolve) => pool.end(() => resolve())),
    };
  }
  return { limiter: new RateLimiterMemory(limit), close: async () => {} };
}
