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

/** The text-search configuration of full-text indexes and searches: Spanish stems, accents on vowels dropped. */
export const TEXT_SEARCH_CONFIG = 'spanish';

/** The indexed expression of a full-text index; a search must repeat it exactly for the index to answer. */
export function textSearchVector(column: string): string {
  return `to_tsvector('${TEXT_SEARCH_CONFIG}', ${quote(column)})`;
}

function indexTarget(spec: IndexSpec): string {
  return spec.fullText ? `USING gin (${textSearchVector(spec.columns[0] as string)})` : `(${columnList(spec.columns)})`;
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
    `CREATE ${spec.unique ? 'UNIQUE ' : ''}INDEX IF NOT EXISTS ${quote(spec.name)} ON ${quote(table)} ${indexTarget(spec)}`,
  dropIndex: (_table, name) => `DROP INDEX IF EXISTS ${quote(name)}`,
  renameIndex: (_table, from, to) => `ALTER INDEX IF EXISTS ${quote(from)} RENAME TO ${quote(to)}`,
};
