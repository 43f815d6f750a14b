import mysql from 'mysql2';
import pg from 'pg';
import { RateLimiterMemory, RateLimiterMySQL, RateLimiterPostgres, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { DatabaseUrl } from '../config/database-url.js';
import { rateLimitTable } from '../migrations/revisions/20261125_03_limite_envios.js';

/** Waits for a free slot in the business number's outbound budget, shared by all processes. */
export interface OutboundLimiter {
  /** How many sends one `acquire` may ask for: the budget of one tenth-of-a-second window. */
  readonly windowSize: number;
  /** Resolves once `count` sends (1 by default, at most `windowSize`) fit in the budget. */
  acquire(count?: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * `perSecond` messages per second per business number across every sender process: counters in the
 * database (rate-limiter-flexible) on PostgreSQL and MySQL; in memory for PGlite, which only one
 * process can open anyway.
 */
export function createOutboundLimiter(database: DatabaseUrl, phoneNumberId: string, perSecond: number): OutboundLimiter {
  // Tenth-of-a-second windows: a fixed one-second window would let two seconds' worth through across
  // a window boundary; this keeps any sliding second within about a tenth above the limit.
  const points = Math.max(1, Math.round(perSecond / 10));
  const common = { points, duration: points / perSecond, keyPrefix: 'charla_envios' };
  let limiter: RateLimiterAbstract;
  let close = async (): Promise<void> => {};
  if (database.kind === 'postgres') {
    const pool = new pg.Pool({ connectionString: database.url, max: 2 });
    limiter = new RateLimiterPostgres({
      ...common,
      storeClient: pool,
      storeType: 'pool',
      tableName: rateLimitTable.name,
      tableCreated: true,
      clearExpiredByTimeout: false,
    });
    close = () => pool.end();
  } else if (database.kind === 'mysql') {
    const pool = mysql.createPool({ uri: database.url, connectionLimit: 2 });
    const dbName = decodeURIComponent(new URL(database.url).pathname.slice(1));
    limiter = new RateLimiterMySQL({
      ...common,
      storeClient: pool,
      storeType: 'pool',
      dbName,
      tableName: rateLimitTable.name,
      tableCreated: true,
      clearExpiredByTimeout: false,
    });
    close = () => new Promise((resolve) => pool.end(() => resolve()));
  } else {
    limiter = new RateLimiterMemory(common);
  }
  return {
    windowSize: points,
    async acquire(count = 1) {
      if (count > points) throw new RangeError(`acquire(${count}): at most ${points} at once`);
      for (;;) {
        try {
          await limiter.consume(phoneNumberId, count);
          return;
        } catch (rejection) {
          if (!(rejection instanceof RateLimiterRes)) throw rejection;
          // A refused request is still counted, so this window is full for everyone: wait for the next.
          await new Promise((resolve) => setTimeout(resolve, Math.max(5, rejection.msBeforeNext)));
        }
      }
    },
    close,
  };
}
