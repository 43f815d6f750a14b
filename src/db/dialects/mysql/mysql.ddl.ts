import type { DdlRenderer } from '../dialect-support.js';
import type { ColumnDefault, ColumnSpec, ColumnType, IndexSpec, TableSpec } from '../../schema/table-spec.js';
import { canonicalDefault } from '../../schema/table-spec.js';
import { constraintLines } from '../table-constraints.js';

const quote = (identifier: string): string => `\`${identifier.replace(/`/g, '``')}\``;

function columnType(type: ColumnType): string {
  switch (type.kind) {
    case 'serial':
      return 'INTEGER';
    case 'integer':
      return 'INTEGER';
    case 'bigint':
      return 'BIGINT';
    case 'varchar':
      return `VARCHAR(${type.length})`;
    case 'text':
      return 'TEXT';
    case 'longText':
      return 'LONGTEXT';
    case 'boolean':
      return 'BOOL';
    case 'timestamp':
      return 'DATETIME';
    case 'date':
      return 'DATE';
    case 'numeric':
      return `NUMERIC(${type.precision}, ${type.scale})`;
  }
}

const defaultText = (value: ColumnDefault | undefined): string | null =>
  value?.kind === 'now' ? 'CURRENT_TIMESTAMP' : canonicalDefault(value);

function columnDefinition(column: ColumnSpec): string {
  const parts = [quote(column.name), columnType(column.type)];
  if (!column.nullable) parts.push('NOT NULL');
  if (column.type.kind === 'serial') parts.push('AUTO_INCREMENT');
  const text = defaultText(column.default);
  if (text !== null) parts.push(`DEFAULT ${text}`);
  return parts.join(' ');
}

function columnList(columns: string[]): string {
  return columns.map(quote).join(', ');
}

/** `UNIQUE `, `FULLTEXT ` (InnoDB's full-text index, for `search.allWords`) or nothing. */
function indexKind(spec: IndexSpec): string {
  return spec.fullText ? 'FULLTEXT ' : spec.unique ? 'UNIQUE ' : '';
}

function indexDefinition(spec: IndexSpec): string {
  return `${indexKind(spec)}INDEX ${quote(spec.name)} (${columnList(spec.columns)})`;
}

/**
 * MySQL/MariaDB commit each DDL statement on its own, so a table is created with its indexes and
 * foreign keys in one statement: a revision interrupted half-way never leaves a table without them.
 */
export const mysqlDdl: DdlRenderer = {
  quote,
  createTable(spec: TableSpec): string[] {
    const { primaryKey, foreignKeys } = constraintLines(spec, quote);
    const lines = [...spec.columns.map(columnDefinition), ...primaryKey, ...spec.indexes.map(indexDefinition), ...foreignKeys];
    return [
      `CREATE TABLE IF NOT EXISTS ${quote(spec.name)} (\n    ${lines.join(',\n    ')}\n) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`,
    ];
  },
  dropTable: (name) => [`DROP TABLE IF EXISTS ${quote(name)}`],
  addColumn: (table, column) => `ALTER TABLE ${quote(table)} ADD COLUMN ${columnDefinition(column)}`,
  dropColumn: (table, column) => `ALTER TABLE ${quote(table)} DROP COLUMN ${quote(column)}`,
  /** MySQL 8.0 and MariaDB 10.5 onwards. */
  renameColumn: (table, from, to) => `ALTER TABLE ${quote(table)} RENAME COLUMN ${quote(from)} TO ${quote(to)}`,
  setColumnDefault: (table, column, value) =>
    `ALTER TABLE ${quote(table)} ALTER COLUMN ${quote(column)} ${value === null ? 'DROP DEFAULT' : `SET DEFAULT ${defaultText(value)}`}`,
  createIndex: (table, spec) => `CREATE ${indexKind(spec)}INDEX ${quote(spec.name)} ON ${quote(table)} (${columnList(spec.columns)})`,
  dropIndex: (table, name) => `DROP INDEX ${quote(name)} ON ${quote(table)}`,
  /** MySQL 5.7 and MariaDB 10.5 onwards. */
  renameIndex: (table, from, to) => `ALTER TABLE ${quote(table)} RENAME INDEX ${quote(from)} TO ${quote(to)}`,
};
