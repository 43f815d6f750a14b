import pg from 'pg';
import { CompiledQuery, Kysely, PostgresDialect, sql } from 'kysely';
import type { AnyKysely, DialectSupport } from '../dialect-support.js';
import { postgresDdl } from './postgres.ddl.js';
import { postgresIntrospector } from './postgres.introspector.js';

/** The advisory-lock key of Charla's migrations ("charla" in ASCII, as a bigint). */
const MIGRATION_LOCK_KEY = sql.lit(0x636861726c61);

const TIMESTAMP_OID = 1114;
const DATE_OID = 1082;

/** PostgreSQL and PGlite share the SQL family; only how they are opened differs. */
export function postgresFamilySupport(displayName: string): DialectSupport {
  return {
    displayName,
    supportsTransactionalDdl: true,
    supportsReturning: true,
    supportsSkipLocked: true,
    ignoreDuplicates: (query, uniqueColumns) => query.onConflict((conflict) => conflict.columns(uniqueColumns).doNothing()) as typeof query,
    ddl: postgresDdl,
    introspector: postgresIntrospector,
    widenVersionColumn: (length) => `ALTER TABLE alembic_version ALTER COLUMN version_num TYPE VARCHAR(${length})`,
    async withMigrationLock<T>(db: AnyKysely, work: (connection: AnyKysely) => Promise<T>): Promise<T> {
      return db.connection().execute(async (connection) => {
        await sql`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`.execute(connection);
        try {
          return await work(connection);
        } finally {
          await sql`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`.execute(connection);
        }
      });
    },
  };
}

/**
 * `timestamp without time zone` columns hold UTC; read them as UTC whatever the process's TZ.
 * DATE columns stay `YYYY-MM-DD` strings so a birth date never shifts by a day.
 */
export function parseTimestampAsUtc(text: string): Date {
  return new Date(`${text.replace(' ', 'T')}Z`);
}

const typeParsers: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === TIMESTAMP_OID) return parseTimestampAsUtc;
    if (oid === DATE_OID) return (text: string) => text;
    return (format === 'binary' ? pg.types.getTypeParser(oid, 'binary') : pg.types.getTypeParser(oid, 'text')) as unknown;
  }) as pg.CustomTypesConfig['getTypeParser'],
};

export function openPostgres(url: string, poolSize = 10): { kysely: AnyKysely; support: DialectSupport } {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, types: typeParsers });
  ignoreIdleClientErrors(pool);
  const kysely = new Kysely({
    dialect: new PostgresDialect({
      pool,
      onCreateConnection: async (connection) => {
        await connection.executeQuery(CompiledQuery.raw("SET TIME ZONE 'UTC'"));
      },
    }),
  });
  return { kysely, support: postgresFamilySupport('PostgreSQL') };
}

/**
 * An idle pooled connection that the server closes (restart, failover, an administrator) makes the
 * pool emit 'error'; without a listener that would crash the process. The pool has already dropped
 * the broken connection and the next query opens a new one, so there is nothing else to do.
 */
export function ignoreIdleClientErrors(pool: pg.Pool): void {
  pool.on('error', () => {});
}
