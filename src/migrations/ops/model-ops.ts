import type { ColumnSpec, IndexSpec, TableSpec } from '../../db/schema/table-spec.js';
import type { MigrationOps } from './migration-ops.js';

/** Replays revisions into an in-memory schema: what the revisions say the database should hold. */
export class ModelOps implements MigrationOps {
  readonly tables = new Map<string, TableSpec>();

  async hasTable(name: string): Promise<boolean> {
    return this.tables.has(name);
  }

  async hasColumn(table: string, column: string): Promise<boolean> {
    return this.tables.get(table)?.columns.some((c) => c.name === column) ?? false;
  }

  async createTable(spec: TableSpec): Promise<void> {
    if (!this.tables.has(spec.name)) this.tables.set(spec.name, structuredClone(spec));
  }

  async dropTable(name: string): Promise<void> {
    this.tables.delete(name);
  }

  async addColumn(table: string, column: ColumnSpec): Promise<void> {
    const spec = this.tables.get(table);
    if (spec && !spec.columns.some((c) => c.name === column.name)) spec.columns.push(structuredClone(column));
  }

  async dropColumn(table: string, column: string): Promise<void> {
    const spec = this.tables.get(table);
    if (spec) spec.columns = spec.columns.filter((c) => c.name !== column);
  }

  async createIndex(table: string, index: IndexSpec): Promise<void> {
    const spec = this.tables.get(table);
    if (spec && !spec.indexes.some((i) => i.name === index.name)) spec.indexes.push(structuredClone(index));
  }

  async dropIndex(table: string, name: string): Promise<void> {
    const spec = this.tables.get(table);
    if (spec) spec.indexes = spec.indexes.filter((i) => i.name !== name);
  }

  async execute(_statement: string): Promise<void> {}

  note(_message: string): void {}
}
