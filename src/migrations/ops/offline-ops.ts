import type { DdlRenderer } from '../../db/dialects/dialect-support.js';
import {
  canonicalDefault,
  defaults,
  type ColumnDefault,
  type ColumnSpec,
  type IndexSpec,
  type TableSpec,
} from '../../db/schema/table-spec.js';
import type { SeedRow } from './migration-ops.js';
import { ModelOps } from './model-ops.js';

/** A value as an SQL literal, written as column defaults are. */
const literal = (value: string | number | boolean | undefined): string => canonicalDefault(defaults.value(value ?? '')) ?? 'NULL';

/**
 * `--sql`: writes the statements instead of running them. Questions about the schema are answered
 * from the model of what the revisions before the start revision created.
 */
export class OfflineOps extends ModelOps {
  constructor(
    private readonly ddl: DdlRenderer,
    private readonly emit: (statement: string) => void,
  ) {
    super();
  }

  /** Starts from the tables the revisions before the start revision created. */
  seed(tables: ReadonlyMap<string, TableSpec>): this {
    for (const [name, spec] of tables) this.tables.set(name, structuredClone(spec));
    return this;
  }

  override async createTable(spec: TableSpec): Promise<void> {
    this.ddl.createTable(spec).forEach(this.emit);
    await super.createTable(spec);
  }

  override async dropTable(name: string): Promise<void> {
    this.ddl.dropTable(name).forEach(this.emit);
    await super.dropTable(name);
  }

  override async addColumn(table: string, column: ColumnSpec): Promise<void> {
    this.emit(this.ddl.addColumn(table, column));
    await super.addColumn(table, column);
  }

  override async dropColumn(table: string, column: string): Promise<void> {
    this.emit(this.ddl.dropColumn(table, column));
    await super.dropColumn(table, column);
  }

  override async renameColumn(table: string, from: string, to: string): Promise<void> {
    this.emit(this.ddl.renameColumn(table, from, to));
    await super.renameColumn(table, from, to);
  }

  override async setColumnDefault(table: string, column: string, value: ColumnDefault | null): Promise<void> {
    this.emit(this.ddl.setColumnDefault(table, column, value));
    await super.setColumnDefault(table, column, value);
  }

  override async renameIndex(table: string, from: string, to: string): Promise<void> {
    this.emit(this.ddl.renameIndex(table, from, to));
    await super.renameIndex(table, from, to);
  }

  override async createIndex(table: string, index: IndexSpec): Promise<void> {
    this.emit(this.ddl.createIndex(table, index));
    await super.createIndex(table, index);
  }

  override async dropIndex(table: string, name: string): Promise<void> {
    this.emit(this.ddl.dropIndex(table, name));
    await super.dropIndex(table, name);
  }

  override async insertRows(table: string, _key: string, rows: readonly SeedRow[]): Promise<void> {
    for (const row of rows) {
      const columns = Object.keys(row);
      this.emit(
        `INSERT INTO ${this.ddl.quote(table)} (${columns.map((c) => this.ddl.quote(c)).join(', ')}) VALUES (${columns.map((c) => literal(row[c])).join(', ')})`,
      );
    }
  }

  override async deleteRows(table: string, rows: readonly SeedRow[]): Promise<void> {
    for (const row of rows) {
      const match = Object.keys(row).map((c) => `${this.ddl.quote(c)} = ${literal(row[c])}`);
      this.emit(`DELETE FROM ${this.ddl.quote(table)} WHERE ${match.join(' AND ')}`);
    }
  }

  override async execute(statement: string): Promise<void> {
    this.emit(statement);
  }

  override note(message: string): void {
    this.emit(`-- ${message}`);
  }
}
