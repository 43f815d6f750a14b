import type { InsertQueryBuilder, Kysely, RawBuilder } from 'kysely';
import type { ColumnDefault, ColumnSpec, IndexSpec, TableSpec } from '../schema/table-spec.js';
import type { LiveTable } from '../schema/live-schema.js';

/** Any Kysely instance, whatever its table types: migrations and introspection work below the typed layer. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyKysely = Kysely<any>;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyInsert = InsertQueryBuilder<any, any, any>;

/** Renders the dialect-neutral table descriptions to this dialect's DDL. Every statement is safe to re-run. */
export interface DdlRenderer {
  createTable(spec: TableSpec): string[];
  dropTable(name: string): string[];
  addColumn(table: string, column: ColumnSpec): string;
  dropColumn(table: string, column: string): string;
  /** Renames a column in place (type, default, indexes and foreign keys follow it). */
  renameColumn(table: string, from: string, to: string): string;
  /** Sets a column's default, or removes it (null). */
  setColumnDefault(table: string, column: string, value: ColumnDefault | null): string;
  createIndex(table: string, spec: IndexSpec): string;
  dropIndex(table: string, name: string): string;
  renameIndex(table: string, from: string, to: string): string;
  quote(identifier: string): string;
}

/** Reads the live schema in the canonical form of `live-schema.ts`. */
export interface SchemaIntrospector {
  tableNames(db: AnyKysely): Promise<string[]>;
  describeTable(db: AnyKysely, name: string): Promise<LiveTable | null>;
  /** The declared maximum length of a varchar column, or null if the column does not exist. */
  columnLength(db: AnyKysely, table: string, column: string): Promise<number | null>;
}

/**
 * Everything that differs between the databases Charla runs on, in one place. Code branches on
 * these capabilities, never on the database's name.
 */
export interface DialectSupport {
  /** For messages only. */
  readonly displayName: string;
  /**
   * Transactions run side by side on several connections. False for PGlite (one connection in this
   * process): the worker answers one group of customers at a time and ingest flushes one batch.
   */
  readonly concurrentTransactions: boolean;
  /**
   * The database lives inside this process, for trying Charla (PGlite): `charla start` fills a fresh
   * one with demo customers and a first admin.
   */
  readonly embedded: boolean;
  /** DDL inside a transaction is rolled back with it (PostgreSQL, PGlite; not MySQL/MariaDB). */
  readonly supportsTransactionalDdl: boolean;
  readonly supportsReturning: boolean;
  /**
   * Makes an INSERT skip rows whose `uniqueColumn` value exists already (ON CONFLICT DO NOTHING on
   * PostgreSQL; a no-op ON DUPLICATE KEY UPDATE on MySQL, which unlike INSERT IGNORE keeps every
   * other error an error).
   */
  ignoreDuplicates<QB extends AnyInsert>(query: QB, uniqueColumns: readonly string[]): QB;
  /**
   * True when the database refused the values of a statement (a value out of range, a string it
   * cannot store, a constraint), as opposed to being unreachable or failing for its own reasons:
   * the webhook then quarantines the item instead of asking Meta to retry for days.
   */
  isDataError(error: unknown): boolean;
  /**
   * True when `error` (or an error it wraps) is a unique-constraint violation: lets a
   * check-then-insert that lost a race answer "exists already" instead of failing.
   */
  isUniqueViolation(error: unknown): boolean;
  /** True when `error` (or an error it wraps) says the table named in the statement does not exist. */
  isMissingTable(error: unknown): boolean;
  /**
   * Makes an INSERT into `whatsapp_eventos` also wake the processes waiting for events, in the same
   * statement: on PostgreSQL and PGlite it returns `pg_notify(EVENTS_CHANNEL, '')`, which the
   * database delivers at commit (once per transaction) and drops on rollback. Unchanged on MySQL,
   * where listeners poll instead (`Database.listenForEvents`).
   */
  wakeEventListeners<QB extends AnyInsert>(query: QB): QB;
  /** Word search along full-text indexes, and accent-insensitive matching (docs/decisions.md, "Search"). */
  readonly search: TextSearch;
  /** Offline `--sql` output wraps each revision in BEGIN/COMMIT when DDL is transactional. */
  readonly ddl: DdlRenderer;
  readonly introspector: SchemaIntrospector;
  /** SQL that widens `alembic_version.version_num` to `length` characters. */
  widenVersionColumn(length: number): string;
  /**
   * Runs `work` on one connection while holding this database's migration lock, so that
   * concurrent `upgrade` runs from several processes apply each revision once.
   */
  withMigrationLock<T>(db: AnyKysely, work: (connection: AnyKysely) => Promise<T>): Promise<T>;
}

/**
 * Searching text, the one thing about it whose SQL differs between the databases. Words come from
 * `searchWords` (db/text-search.ts): letters and digits only, so nothing in them is an operator.
 */
export interface TextSearch {
  /**
   * True for rows whose `column` (which must have a `fullTextIndex`, or the index is not used) holds
   * every word, the last one as the start of a word (so a word being typed matches). PostgreSQL
   * compares Spanish stems (`pagué`, `pago` and `pagos` are one word; accents on vowels do not
   * count); MySQL/MariaDB compares words under the column's collation (accents do not count under
   * the usual `_ci` ones) and cannot search for words under 3 letters nor its stop words, which are
   * left out. Null when no word is left to search for.
   */
  allWords(column: string, words: readonly string[]): RawBuilder<boolean> | null;
  /**
   * True when `column` contains `text` (already folded with `foldText`), ignoring case and accents:
   * PostgreSQL matches a case-insensitive regular expression with each letter's accented forms; MySQL/MariaDB relies on the column's `_ci`
   * collation. No index helps: for tables of customers and conversations, not of messages.
   */
  containsFolded(column: string, text: string): RawBuilder<boolean>;
  /**
   * `allWords` also works on rows that do not come straight from the indexed table (a CTE, a
   * derived table): PostgreSQL computes `to_tsvector` on any text, so its planner may also choose
   * to walk another index and compute it row by row (seconds on millions of rows), which the search
   * has to prevent. MySQL's MATCH needs the base table's FULLTEXT index and always uses it.
   */
  readonly filtersWithoutIndex: boolean;
}

/** One rate limit (rate-limiter-flexible's terms); see `Database.rateLimiter`. */
export interface RateLimit {
  /** Points per window. */
  points: number;
  /** Window length, seconds. */
  duration: number;
  /** Keeps different limits apart in the shared table. */
  keyPrefix: string;
}

/**
 * Where rate-limiter-flexible keeps its counters on PostgreSQL and MySQL. Created by revision
 * 20261125_03_limite_envios: runtime code names it, never imports a revision.
 */
export const RATE_LIMIT_STORE = {
  tableName: 'whatsapp_limite_envios',
  tableCreated: true,
  clearExpiredByTimeout: false,
  storeType: 'pool',
} as const;

/**
 * The PostgreSQL NOTIFY channel of inbox events (`whatsapp_eventos`, revision
 * 20261127_01_eventos_inbox): writers notify it at commit, the web processes listen to it.
 */
export const EVENTS_CHANNEL = 'charla_eventos';

/** The error and the errors it wraps (`cause`), outermost first. */
export function causes(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (
    let current = error;
    current !== null && current !== undefined && chain.length < 5;
    current = (current as { cause?: unknown }).cause
  ) {
    chain.push(current);
    if (typeof current !== 'object') break;
  }
  return chain;
}
