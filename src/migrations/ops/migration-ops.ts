import { CharlaError } from '../../errors/charla-error.js';
import type { ColumnDefault, ColumnSpec, IndexSpec, TableSpec } from '../../db/schema/table-spec.js';

/**
 * What a revision may do to the schema. The same revision code runs against a live database
 * (`live-ops.ts`), prints SQL for a DBA (`offline-ops.ts`) and builds the expected schema for
 * `charla db check` (`model-ops.ts`). On a live database every operation is safe to re-run:
 * it first checks whether its effect is already there, so a revision interrupted half-way on
 * MySQL/MariaDB (no transactional DDL) completes on the next run.
 */
export interface MigrationOps {
  hasTable(name: string): Promise<boolean>;
  hasColumn(table: string, column: string): Promise<boolean>;
  /** Creates the table with its indexes and foreign keys, unless it already exists. */
  createTable(spec: TableSpec): Promise<void>;
  /** Drops the table and its indexes. Refuses (MIGRATION_DATA_LOSS) if it holds rows, unless confirmed. */
  dropTable(name: string): Promise<void>;
  addColumn(table: string, column: ColumnSpec): Promise<void>;
  dropColumn(table: string, column: string): Promise<void>;
  /**
   * Renames a column, keeping its type, default, rows, and the indexes and foreign keys that use
   * it. Done already (only `to` exists): nothing to do. Both exist: refused.
   */
  renameColumn(table: string, from: string, to: string): Promise<void>;
  /** Changes a column's default (null: none). Rows already stored keep their values. */
  setColumnDefault(table: string, column: string, value: ColumnDefault | null): Promise<void>;
  createIndex(table: string, spec: IndexSpec): Promise<void>;
  dropIndex(table: string, name: string): Promise<void>;
  /** Renames an index. Done already (only `to` exists): nothing to do. */
  renameIndex(table: string, from: string, to: string): Promise<void>;
  /**
   * Rows a revision ships (seed data): each inserted unless a row with the same `key` value exists,
   * so re-runs and rows people changed since are left alone.
   */
  insertRows(table: string, key: string, rows: readonly SeedRow[]): Promise<void>;
  /**
   * Takes shipped rows back: deletes the rows equal to one of `rows` in every column given. The
   * downgrade pre-flight counts them as deleted, so a `dropTable` after it is refused only for the
   * rows left (rows people added or changed).
   */
  deleteRows(table: string, rows: readonly SeedRow[]): Promise<void>;
  /** Raw SQL, for data changes. Not checked for re-runs: write it so that running it twice is harmless. */
  execute(statement: string): Promise<void>;
  /** An informational line in the migration output. */
  note(message: string): void;
}

/** A row of seed data: column → value. */
export type SeedRow = Readonly<Record<string, string | number | boolean>>;

/** For a revision that must not run in a direction: throws with the reason and the way out. */
export function refuse(message: string): never {
  throw new CharlaError('MIGRATION_REFUSED', message);
}
