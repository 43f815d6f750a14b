import { sql } from 'kysely';
import type { SchemaIntrospector } from '../dialect-support.js';
import { canonicalNumber, type LiveColumn, type LiveIndex, type LiveTable } from '../../schema/live-schema.js';

interface ColumnRow {
  name: string;
  data_type: string;
  column_type: string;
  length: number | null;
  numeric_precision: number | null;
  numeric_scale: number | null;
  is_nullable: 'YES' | 'NO';
  column_default: string | null;
  extra: string;
}

function canonicalType(row: ColumnRow): string {
  switch (row.data_type.toLowerCase()) {
    case 'int':
      return 'integer';
    case 'tinyint':
      return row.column_type.toLowerCase() === 'tinyint(1)' ? 'boolean' : 'tinyint';
    case 'varchar':
      return `varchar(${row.length})`;
    case 'datetime':
      return 'timestamp';
    case 'longtext':
      return 'text';
    case 'decimal':
      return `numeric(${row.numeric_precision},${row.numeric_scale})`;
    default:
      return row.data_type.toLowerCase();
  }
}

/**
 * MariaDB reports `'ACTIVO'`, `current_timestamp()` and the string `NULL`; MySQL 8 reports
 * `ACTIVO`, `CURRENT_TIMESTAMP` and a real NULL. Both end up as `'ACTIVO'`, `now()` and null.
 */
function canonicalDefault(row: ColumnRow, type: string): string | null {
  const text = row.column_default;
  if (text === null || text === 'NULL') return null;
  if (/^current_timestamp(\(\))?$/i.test(text)) return 'now()';
  if (type === 'boolean') return text === '0' ? 'false' : text === '1' ? 'true' : text;
  if (type.startsWith('varchar') || type === 'text') {
    return text.startsWith("'") ? text : `'${text.replace(/'/g, "''")}'`;
  }
  return canonicalNumber(text);
}

function canonicalColumn(row: ColumnRow): LiveColumn {
  const type = canonicalType(row);
  return {
    name: row.name,
    type,
    nullable: row.is_nullable === 'YES',
    default: canonicalDefault(row, type),
    autoIncrement: row.extra.toLowerCase().includes('auto_increment'),
  };
}

/** Groups one-row-per-column listings into named entries, keeping column order. */
function groupByName<T extends { name: string }>(rows: T[], column: (row: T) => string): Map<string, { first: T; columns: string[] }> {
  const groups = new Map<string, { first: T; columns: string[] }>();
  for (const row of rows) {
    const group = groups.get(row.name) ?? { first: row, columns: [] };
    group.columns.push(column(row));
    groups.set(row.name, group);
  }
  return groups;
}

export const mysqlIntrospector: SchemaIntrospector = {
  async tableNames(db) {
    const { rows } = await sql<{ name: string }>`
      select TABLE_NAME as name from information_schema.TABLES
      where TABLE_SCHEMA = database() and TABLE_TYPE = 'BASE TABLE' order by TABLE_NAME`.execute(db);
    return rows.map((r) => r.name);
  },

  async describeTable(db, name): Promise<LiveTable | null> {
    const columns = await sql<ColumnRow>`
      select COLUMN_NAME as name, DATA_TYPE as data_type, COLUMN_TYPE as column_type,
             CHARACTER_MAXIMUM_LENGTH as length, NUMERIC_PRECISION as numeric_precision,
             NUMERIC_SCALE as numeric_scale, IS_NULLABLE as is_nullable,
             COLUMN_DEFAULT as column_default, EXTRA as extra
      from information_schema.COLUMNS
      where TABLE_SCHEMA = database() and TABLE_NAME = ${name}
      order by ORDINAL_POSITION`.execute(db);
    if (columns.rows.length === 0) return null;

    const indexRows = await sql<{ name: string; non_unique: number | string; column_name: string; index_type: string }>`
      select INDEX_NAME as name, NON_UNIQUE as non_unique, COLUMN_NAME as column_name, INDEX_TYPE as index_type
      from information_schema.STATISTICS
      where TABLE_SCHEMA = database() and TABLE_NAME = ${name}
      order by INDEX_NAME, SEQ_IN_INDEX`.execute(db);
    const indexes: LiveIndex[] = [...groupByName(indexRows.rows, (r) => r.column_name)].map(([indexName, g]) => ({
      name: indexName,
      columns: g.columns,
      unique: Number(g.first.non_unique) === 0,
      primary: indexName === 'PRIMARY',
      ...(g.first.index_type.toUpperCase() === 'FULLTEXT' ? { fullText: true } : {}),
    }));

    const fkRows = await sql<{ name: string; column_name: string; referenced_table: string; referenced_column: string }>`
      select CONSTRAINT_NAME as name, COLUMN_NAME as column_name,
             REFERENCED_TABLE_NAME as referenced_table, REFERENCED_COLUMN_NAME as referenced_column
      from information_schema.KEY_COLUMN_USAGE
      where TABLE_SCHEMA = database() and TABLE_NAME = ${name} and REFERENCED_TABLE_NAME is not null
      order by CONSTRAINT_NAME, ORDINAL_POSITION`.execute(db);
    const foreignKeys = [...groupByName(fkRows.rows, (r) => `${r.column_name}\u0000${r.referenced_column}`)].map(([fkName, g]) => ({
      name: fkName,
      columns: g.columns.map((c) => c.split('\u0000')[0] ?? c),
      referencedTable: g.first.referenced_table,
      referencedColumns: g.columns.map((c) => c.split('\u0000')[1] ?? c),
    }));

    return { name, columns: columns.rows.map(canonicalColumn), indexes, foreignKeys };
  },

  async columnLength(db, table, column) {
    const { rows } = await sql<{ length: number | string | null }>`
      select CHARACTER_MAXIMUM_LENGTH as length from information_schema.COLUMNS
      where TABLE_SCHEMA = database() and TABLE_NAME = ${table} and COLUMN_NAME = ${column}`.execute(db);
    if (!rows[0]) return null;
    return rows[0].length === null ? Number.POSITIVE_INFINITY : Number(rows[0].length);
  },
};
