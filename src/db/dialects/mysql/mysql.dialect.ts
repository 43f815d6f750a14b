import { createPool } from 'mysql2';
import { CompiledQuery, Kysely, MysqlDialect, sql } from 'kysely';
import { CharlaError } from '../../../errors/charla-error.js';
import { RateLimiterMySQL, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { causes, RATE_LIMIT_STORE, type AnyKysely, type DialectSupport, type RateLimit } from '../dialect-support.js';
import { mysqlDdl } from './mysql.ddl.js';
import { mysqlIntrospector } from './mysql.introspector.js';
import { mysqlSearch } from './mysql.search.js';

/** How long a second process waits for another's migrations before giving up. */
const MIGRATION_LOCK_WAIT_SECONDS = 600;

/**
 * Errors about the values themselves whose SQLSTATE is not class 22/23: 1366 incorrect string
 * value, 1118 row size too large, 1153 packet larger than max_allowed_packet, 1390 too many
 * placeholders.
 */
const MYSQL_DATA_ERRORS = new Set([1366, 1118, 1153, 1390]);

export const mysqlSupport: DialectSupport = {
  displayName: 'MySQL/MariaDB',
  concurrentTransactions: true,
  embedded: false,
  supportsTransactionalDdl: false,
  supportsReturning: false,
  isDataError: (error) => {
    const { sqlState, errno } = (error ?? {}) as { sqlState?: unknown; errno?: unknown };
    return (typeof sqlState === 'string' && /^(22|23)/.test(sqlState)) || MYSQL_DATA_ERRORS.has(Number(errno));
  },
  // ER_DUP_ENTRY
  isUniqueViolation: (error) => causes(error).some((e) => (e as { errno?: unknown }).errno === 1062),
  // ER_NO_SUCH_TABLE
  isMissingTable: (error) => causes(error).some((e) => (e as { errno?: unknown }).errno === 1146),
  ignoreDuplicates: (query, uniqueColumns) =>
    query.onDuplicateKeyUpdate({ [uniqueColumns[0] as string]: sql.ref(uniqueColumns[0] as string) }) as typeof query,
  // No NOTIFY: listeners poll the newest event id (Database.listenForEvents).
  wakeEventListeners: (query) => query,
  search: mysqlSearch,
  ddl: mysqlDdl,
  introspector: mysqlIntrospector,
  widenVersionColumn: (length) => `ALTER TABLE alembic_version MODIFY version_num VARCHAR(${length}) NOT NULL`,
  async withMigrationLock<T>(db: AnyKysely, work: (connection: AnyKysely) => Promise<T>): Promise<T> {
    return db.connection().execute(async (connection) => {
      // GET_LOCK is server-wide: the database's name keeps two databases on one server apart.
      const lockName = sql`concat('charla_migrations.', database())`;
      const { rows } = await sql<{ acquired: number | string | null }>`
        select get_lock(${lockName}, ${MIGRATION_LOCK_WAIT_SECONDS}) as acquired`.execute(connection);
      if (Number(rows[0]?.acquired) !== 1) {
        throw new CharlaError(
          'DATABASE_UNAVAILABLE',
          `Waited ${MIGRATION_LOCK_WAIT_SECONDS} s for the migration lock held by another Charla process; check for a stuck "charla db upgrade".`,
        );
      }
      try {
        return await work(connection);
      } finally {
        await sql`select release_lock(${lockName})`.execute(connection);
      }
    });
  },
};

export function openMysql(
  url: string,
  poolSize = 10,
): { kysely: AnyKysely; support: DialectSupport; rateLimiter: (limit: RateLimit) => RateLimiterAbstract } {
  const pool = createPool({
    uri: url,
    connectionLimit: poolSize,
    timezone: 'Z',
    dateStrings: ['DATE'],
    charset: 'utf8mb4_unicode_ci',
    supportBigNumbers: true,
    // BOOLEAN is TINYINT(1) on MySQL: read it back as a boolean, as PostgreSQL gives it (tables.ts says boolean).
    typeCast: (field, next) => {
      if (field.type !== 'TINY' || field.length !== 1) return next();
      const text = field.string();
      return text === null ? null : text !== '0';
    },
  });
  const kysely = new Kysely({
    dialect: new MysqlDialect({
      pool,
      onCreateConnection: async (connection) => {
        await connection.executeQuery(CompiledQuery.raw("SET time_zone = '+00:00'"));
      },
    }),
  });
  const dbName = decodeURIComponent(new URL(url).pathname.slice(1));
  return {
    kysely,
    support: mysqlSupport,
    rateLimiter: (limit) => new RateLimiterMySQL({ ...limit, ...RATE_LIMIT_STORE, storeClient: pool, dbName }),
  };
}
