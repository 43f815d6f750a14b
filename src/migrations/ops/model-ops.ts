import type { ColumnDefault, ColumnSpec, IndexSpec, TableSpec } from '../../db/schema/table-spec.js';
import type { MigrationOps, SeedRow } from './migration-ops.js';

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

  async renameColumn(table: string, from: string, to: string): Promise<void> {
    const spec = this.tables.get(table);
    const column = spec?.columns.find((c) => c.name === from);
    if (!spec || !column || spec.columns.some((c) => c.name === to)) return;
    column.name = to;
    for (const index of spec.indexes) index.columns = index.columns.map((c) => (c === from ? to : c));
    for (const other of this.tables.values())
      for (const c of other.columns) if (c.references?.table === table && c.references.column === from) c.references.column = to;
  }

  async setColumnDefault(table: string, column: string, value: ColumnDefault | null): Promise<void> {
    const found = this.tables.get(table)?.columns.find((c) => c.name === column);
    if (!found) return;
    if (value === null) delete found.default;
    else found.default = structuredClone(value);
  }

  async renameIndex(table: string, from: string, to: string): Promise<void> {
    const spec = this.tables.get(table);
    const index = spec?.indexes.find((i) => i.name === from);
    if (index && !spec?.indexes.some((i) => i.name === to)) index.name = to;
  }

  async createIndex(table: string, index: IndexSpec): Promise<void> {
    const spec = this.tables.get(table);
    if (spec && !spec.indexes.some((i) => i.name === index.name)) spec.indexes.push(structuredClone(index));
  }

  async dropIndex(table: string, name: string): Promise<void> {
    const spec = this.tables.get(table);
    if (spec) spec.indexes = spec.indexes.filter((i) => i.name !== name);
  }

  async insertRows(_table: string, _key: string, _rows: readonly SeedRow[]): Promise<void> {}

  async deleteRows(_table: string, _rows: readonly SeedRow[]): Promise<void> {}

  async execute(_statement: string): Promise<void> {}

  note(_message: string): void {}
}
