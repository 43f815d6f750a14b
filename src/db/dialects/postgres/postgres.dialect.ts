import pg from 'pg';
import { CompiledQuery, Kysely, PostgresDialect, sql } from 'kysely';
import { RateLimiterPostgres, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { causes, EVENTS_CHANNEL, RATE_LIMIT_STORE, type AnyKysely, type DialectSupport, type RateLimit } from '../dialect-support.js';
import type { EventListening, ListenForEvents } from '../../event-wakeups.js';
import { postgresDdl } from './postgres.ddl.js';
import { postgresIntrospector } from './postgres.introspector.js';
import { postgresSearch } from './postgres.search.js';

/** The advisory-lock key of Charla's migrations ("charla" in ASCII, as a bigint). */
const MIGRATION_LOCK_KEY = sql.lit(0x636861726c61);

const TIMESTAMP_OID = 1114;
const DATE_OID = 1082;

/** PostgreSQL and PGlite share the SQL family; only how they are opened differs. */
export function postgresFamilySupport(displayName: 'PostgreSQL' | 'PGlite'): DialectSupport {
  const embedded = displayName === 'PGlite';
  return {
    displayName,
    concurrentTransactions: !embedded,
    embedded,
    supportsTransactionalDdl: true,
    supportsReturning: true,
    isDataError: (error) => /^(22|23|54)/.test(sqlState(error)),
    isUniqueViolation: (error) => causes(error).some((e) => sqlState(e) === '23505'),
    isMissingTable: (error) => causes(error).some((e) => sqlState(e) === '42P01'),
    ignoreDuplicates: (query, uniqueColumns) => query.onConflict((conflict) => conflict.columns(uniqueColumns).doNothing()) as typeof query,
    wakeEventListeners: (query) => query.returning(sql<string>`pg_notify(${EVENTS_CHANNEL}, '')`.as('woken')) as typeof query,
    search: postgresSearch,
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

/** SQLSTATE classes 22 (data exception), 23 (integrity constraint), 54 (program limit exceeded). */
function sqlState(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : '';
}

const TIMESTAMP_TEXT = /^(\d{4,6})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(?:\.(\d{1,6}))?( BC)?$/;

/**
 * `timestamp without time zone` columns hold UTC; read them as UTC whatever the process's TZ.
 * Any year PostgreSQL stores is read (10000 and later, BC); what a JavaScript Date cannot hold
 * (`infinity`, beyond ±275,760 years) becomes an invalid Date, which the API writes as null.
 * DATE columns stay `YYYY-MM-DD` strings so a birth date never shifts by a day.
 */
export function parseTimestampAsUtc(text: string): Date {
  const match = TIMESTAMP_TEXT.exec(text);
  if (!match) return new Date(Number.NaN);
  const [, year, month, day, hours, minutes, seconds, fraction = '', bc] = match;
  const date = new Date(0);
  // setUTCFullYear, unlike Date.UTC, takes years 0–99 as they are; 1 BC is year 0.
  date.setUTCFullYear(bc ? 1 - Number(year) : Number(year), Number(month) - 1, Number(day));
  date.setUTCHours(Number(hours), Number(minutes), Number(seconds), Math.floor(Number(fraction.padEnd(3, '0').slice(0, 3))));
  return date;
}

const typeParsers: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === TIMESTAMP_OID) return parseTimestampAsUtc;
    if (oid === DATE_OID) return (text: string) => text;
    return (format === 'binary' ? pg.types.getTypeParser(oid, 'binary') : pg.types.getTypeParser(oid, 'text')) as unknown;
  }) as pg.CustomTypesConfig['getTypeParser'],
};

export function openPostgres(
  url: string,
  poolSize = 10,
): {
  kysely: AnyKysely;
  support: DialectSupport;
  rateLimiter: (limit: RateLimit) => RateLimiterAbstract;
  listenForEvents: ListenForEvents;
} {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, types: typeParsers });
  ignoreIdleClientErrors(pool);
  const kysely = new Kysely({
    dialect: new PostgresDialect({
      pool,
      onCreateConnection: async (connection) => {
        await connection.executeQuery(CompiledQuery.raw("SET TIME ZONE 'UTC'"));
        // Charla's queries are short: JIT compiling one costs more than it saves (a full-text
        // search: 115 ms with JIT, 7 ms without; docs/decisions.md, "PostgreSQL without JIT").
        await connection.executeQuery(CompiledQuery.raw('SET jit = off'));
      },
    }),
  });
  return {
    kysely,
    support: postgresFamilySupport('PostgreSQL'),
    rateLimiter: (limit) => new RateLimiterPostgres({ ...limit, ...RATE_LIMIT_STORE, storeClient: pool }),
    listenForEvents: (onWake, onError) => listenOnOwnConnection(url, onWake, onError),
  };
}

/** Reconnection delays after the listening connection drops: doubling from 100 ms up to 5 s. */
const RELISTEN_FIRST_MS = 100;
const RELISTEN_MAX_MS = 5_000;

/**
 * LISTEN on a connection of its own (a pooled one would be handed to queries and lose it). When the
 * connection drops (a restart, a failover) it reconnects with backoff and wakes once on success,
 * since notifications sent meanwhile were lost. Resolves once the first attempt has ended, listening
 * or not (it keeps retrying): the caller's fallback poll covers the time without it.
 */
async function listenOnOwnConnection(url: string, onWake: () => void, onError: (error: unknown) => void): Promise<EventListening> {
  let current: pg.Client | null = null;
  let closed = false;
  let delay = RELISTEN_FIRST_MS;
  let retry: NodeJS.Timeout | undefined;
  const connect = async (): Promise<void> => {
    const client = new pg.Client({ connectionString: url });
    let dropped = false;
    const drop = (error?: unknown): void => {
      if (dropped) return;
      dropped = true;
      if (error !== undefined && !closed) onError(error);
      if (current === client) current = null;
      client.end().catch(() => undefined);
      if (!closed && retry === undefined) {
        retry = setTimeout(() => {
          retry = undefined;
          void connect();
        }, delay);
        retry.unref();
        delay = Math.min(delay * 2, RELISTEN_MAX_MS);
      }
    };
    client.on('error', drop);
    client.on('end', () => drop());
    client.on('notification', () => onWake());
    try {
      await client.connect();
      await client.query(`LISTEN ${EVENTS_CHANNEL}`);
    } catch (error) {
      drop(error);
      return;
    }
    if (closed) {
      dropped = true;
      await client.end().catch(() => undefined);
      return;
    }
    current = client;
    delay = RELISTEN_FIRST_MS;
    onWake();
  };
  await connect();
  return {
    close: async () => {
      closed = true;
      clearTimeout(retry);
      retry = undefined;
      const client = current;
      current = null;
      await client?.end().catch(() => undefined);
    },
  };
}

/**
 * An idle pooled connection that the server closes (restart, failover, an administrator) makes the
 * pool emit 'error'; without a listener that would crash the process. The pool has already dropped
 * the broken connection and the next query opens a new one, so there is nothing else to do.
 */
function ignoreIdleClientErrors(pool: pg.Pool): void {
  pool.on('error', () => {});
}
