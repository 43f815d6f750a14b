import { sql } from 'kysely';
import type { SchemaIntrospector } from '../dialect-support.js';
import { canonicalNumber, type LiveColumn, type LiveTable } from '../../schema/live-schema.js';

interface ColumnRow {
  column_name: string;
  data_type: string;
  character_maximum_length: number | null;
  numeric_precision: number | null;
  numeric_scale: number | null;
  is_nullable: 'YES' | 'NO';
  column_default: string | null;
}

function canonicalColumn(row: ColumnRow): LiveColumn {
  const autoIncrement = row.column_default?.startsWith('nextval(') ?? false;
  return {
    name: row.column_name,
    type: canonicalType(row),
    nullable: row.is_nullable === 'YES',
    default: autoIncrement ? null : canonicalDefault(row.column_default),
    autoIncrement,
  };
}

function canonicalType(row: ColumnRow): string {
  switch (row.data_type) {
    case 'character varying':
      return `varchar(${row.character_maximum_length})`;
    case 'timestamp without time zone':
      return 'timestamp';
    case 'numeric':
      return `numeric(${row.numeric_precision},${row.numeric_scale})`;
    default:
      return row.data_type;
  }
}

/** `'ACTIVO'::character varying` → `'ACTIVO'`, `CURRENT_TIMESTAMP` → `now()`, `0.00` → `0`. */
function canonicalDefault(text: string | null): string | null {
  if (text === null) return null;
  const withoutCast = text.replace(/::[a-z ]+(\(\d+(,\s*\d+)?\))?$/i, '').replace(/^\((.*)\)$/, '$1');
  if (/^(now\(\)|current_timestamp(\(\))?)$/i.test(withoutCast)) return 'now()';
  return canonicalNumber(withoutCast);
}

const splitNames = (text: string): string[] => text.split(',');

/** `to_tsvector('spanish'::regconfig, body)`, as pg_get_expr prints a full-text index's expression: the column. */
const FULL_TEXT_EXPRESSION = /^to_tsvector\('\w+'::regconfig, (?:"((?:[^"]|"")+)"|(\w+))\)$/;

export const postgresIntrospector: SchemaIntrospector = {
  async tableNames(db) {
    const { rows } = await sql<{ table_name: string }>`
      select table_name from information_schema.tables
      where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name`.execute(db);
    return rows.map((r) => r.table_name);
  },

  async describeTable(db, name): Promise<LiveTable | null> {
    const columns = await sql<ColumnRow>`
      select column_name, data_type, character_maximum_length, numeric_precision, numeric_scale, is_nullable, column_default
      from information_schema.columns
      where table_schema = current_schema() and table_name = ${name}
      order by ordinal_position`.execute(db);
    if (columns.rows.length === 0) return null;

    const indexes = await sql<{ name: string; columns: string; unique: boolean; primary: boolean }>`
      select i.relname as name, ix.indisunique as unique, ix.indisprimary as primary,
             string_agg(a.attname, ',' order by k.ord) as columns
      from pg_index ix
      join pg_class t on t.oid = ix.indrelid
      join pg_class i on i.oid = ix.indexrelid
      join pg_namespace n on n.oid = t.relnamespace
      cross join lateral unnest(ix.indkey) with ordinality as k(attnum, ord)
      join pg_attribute a on a.attrelid = t.oid and a.attnum = k.attnum
      where n.nspname = current_schema() and t.relname = ${name}
      group by i.relname, ix.indisunique, ix.indisprimary
      order by i.relname`.execute(db);

    // Expression indexes have no column in indkey (attnum 0), so the query above leaves them out;
    // those that are full-text indexes as postgres.ddl.ts writes them are read here.
    const expressionIndexes = await sql<{ name: string; method: string; expression: string | null }>`
      select i.relname as name, am.amname as method, pg_get_expr(ix.indexprs, ix.indrelid) as expression
      from pg_index ix
      join pg_class t on t.oid = ix.indrelid
      join pg_class i on i.oid = ix.indexrelid
      join pg_am am on am.oid = i.relam
      join pg_namespace n on n.oid = t.relnamespace
      where n.nspname = current_schema() and t.relname = ${name} and ix.indexprs is not null
      order by i.relname`.execute(db);
    const fullTextIndexes = expressionIndexes.rows.flatMap((r) => {
      const match = r.method === 'gin' ? FULL_TEXT_EXPRESSION.exec(r.expression ?? '') : null;
      const column = match ? (match[1] ?? match[2]) : undefined;
      return column && !indexes.rows.some((i) => i.name === r.name)
        ? [{ name: r.name, columns: [column.replace(/""/g, '"')], unique: false, primary: false, fullText: true }]
        : [];
    });

    const foreignKeys = await sql<{ name: string; columns: string; referenced_table: string; referenced_columns: string }>`
      select c.conname as name, ft.relname as referenced_table,
        (select string_agg(a.attname, ',' order by k.ord) from unnest(c.conkey) with ordinality k(attnum, ord)
           join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.attnum) as columns,
        (select string_agg(a.attname, ',' order by k.ord) from unnest(c.confkey) with ordinality k(attnum, ord)
           join pg_attribute a on a.attrelid = c.confrelid and a.attnum = k.attnum) as referenced_columns
      from pg_constraint c
      join pg_class t on t.oid = c.conrelid
      join pg_namespace n on n.oid = t.relnamespace
      join pg_class ft on ft.oid = c.confrelid
      where c.contype = 'f' and n.nspname = current_schema() and t.relname = ${name}
      order by c.conname`.execute(db);

    return {
      name,
      columns: columns.rows.map(canonicalColumn),
      indexes: [
        ...indexes.rows.map((r) => ({ name: r.name, columns: splitNames(r.columns), unique: r.unique, primary: r.primary })),
        ...fullTextIndexes,
      ],
      foreignKeys: foreignKeys.rows.map((r) => ({
        name: r.name,
        columns: splitNames(r.columns),
        referencedTable: r.referenced_table,
        referencedColumns: splitNames(r.referenced_columns),
      })),
    };
  },

  async columnLength(db, table, column) {
    const { rows } = await sql<{ length: number | null }>`
      select character_maximum_length as length from information_schema.columns
      where table_schema = current_schema() and table_name = ${table} and column_name = ${column}`.execute(db);
    return rows[0] ? (rows[0].length ?? Number.POSITIVE_INFINITY) : null;
  },
};
