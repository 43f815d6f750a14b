import type { DdlRenderer } from '../dialect-support.js';
import type { ColumnSpec, ColumnType, IndexSpec, TableSpec } from '../../schema/table-spec.js';
import { canonicalDefault } from '../../schema/table-spec.js';
import { constraintLines } from '../table-constraints.js';

const quote = (identifier: string): string => `"${identifier.replace(/"/g, '""')}"`;

function columnType(type: ColumnType): string {
  switch (type.kind) {
    case 'serial':
      return 'SERIAL';
    case 'integer':
      return 'INTEGER';
    case 'bigint':
      return 'BIGINT';
    case 'varchar':
      return `VARCHAR(${type.length})`;
    case 'text':
    case 'longText':
      return 'TEXT';
    case 'boolean':
      return 'BOOLEAN';
    case 'timestamp':
      return 'TIMESTAMP WITHOUT TIME ZONE';
    case 'date':
      return 'DATE';
    case 'numeric':
      return `NUMERIC(${type.precision}, ${type.scale})`;
  }
}

function columnDefinition(column: ColumnSpec): string {
  const parts = [quote(column.name), columnType(column.type)];
  const defaultText = canonicalDefault(column.default);
  if (defaultText !== null) parts.push(`DEFAULT ${defaultText}`);
  if (!column.nullable) parts.push('NOT NULL');
  return parts.join(' ');
}

function columnList(columns: string[]): string {
  return columns.map(quote).join(', ');
}

export const postgresDdl: DdlRenderer = {
  quote,
  createTable(spec: TableSpec): string[] {
    const { primaryKey, foreignKeys } = constraintLines(spec, quote);
    const lines = [...spec.columns.map(columnDefinition), ...primaryKey, ...foreignKeys];
    const table = `CREATE TABLE IF NOT EXISTS ${quote(spec.name)} (\n    ${lines.join(',\n    ')}\n)`;
    return [table, ...spec.indexes.map((i) => postgresDdl.createIndex(spec.name, i))];
  },
  dropTable: (name) => [`DROP TABLE IF EXISTS ${quote(name)}`],
  addColumn: (table, column) => `ALTER TABLE ${quote(table)} ADD COLUMN IF NOT EXISTS ${columnDefinition(column)}`,
  dropColumn: (table, column) => `ALTER TABLE ${quote(table)} DROP COLUMN IF EXISTS ${quote(column)}`,
  renameColumn: (table, from, to) => `ALTER TABLE ${quote(table)} RENAME COLUMN ${quote(from)} TO ${quote(to)}`,
  setColumnDefault: (table, column, value) =>
    `ALTER TABLE ${quote(table)} ALTER COLUMN ${quote(column)} ${value === null ? 'DROP DEFAULT' : `SET DEFAULT ${canonicalDefault(value)}`}`,
  createIndex: (table: string, spec: IndexSpec) =>
    `CREATE ${spec.unique ? 'UNIQUE ' : ''}INDEX IF NOT EXISTS ${quote(spec.name)} ON ${quote(table)} (${columnList(spec.columns)})`,
  dropIndex: (_table, name) => `DROP INDEX IF EXISTS ${quote(name)}`,
  renameIndex: (_table, from, to) => `ALTER INDEX IF EXISTS ${quote(from)} RENAME TO ${quote(to)}`,
};
