/**
 * A small, dialect-neutral description of tables. Revisions declare their tables with it; each
 * dialect renders it to DDL, and `charla db check` compares it with the live schema.
 */
export type ColumnType =
  | { kind: 'serial' }
  | { kind: 'integer' }
  | { kind: 'bigint' }
  | { kind: 'varchar'; length: number }
  | { kind: 'text' }
  /** Text beyond MySQL's 64 KB TEXT (LONGTEXT there; TEXT on PostgreSQL). Reads back as `text`. */
  | { kind: 'longText' }
  | { kind: 'boolean' }
  | { kind: 'timestamp' }
  | { kind: 'date' }
  | { kind: 'numeric'; precision: number; scale: number };

export type ColumnDefault = { kind: 'now' } | { kind: 'value'; value: string | number | boolean };

export interface ColumnSpec {
  name: string;
  type: ColumnType;
  nullable: boolean;
  default?: ColumnDefault;
  primaryKey?: boolean;
  references?: { table: string; column: string };
}

export interface IndexSpec {
  name: string;
  columns: string[];
  unique: boolean;
  /**
   * A full-text index of one text column (`fullTextIndex`): the words of the text, for
   * `DialectSupport.search.allWords`. PostgreSQL: GIN over `to_tsvector('spanish', column)`;
   * MySQL/MariaDB: FULLTEXT (InnoDB).
   */
  fullText?: true;
}

export interface TableSpec {
  name: string;
  columns: ColumnSpec[];
  indexes: IndexSpec[];
  /**
   * `charla`: Charla owns the table and `db check` reports any difference, extra columns included.
   * `crm`: the lender's table; real databases carry more columns, so only missing ones are drift.
   */
  ownership: 'charla' | 'crm';
}

type ColumnOptions = Omit<ColumnSpec, 'name' | 'type' | 'nullable'> & { nullable?: boolean };

/** Column builders: `column('cedula', type.varchar(20), { nullable: false })`. Columns are nullable unless said. */
export function column(name: string, columnType: ColumnType, options: ColumnOptions = {}): ColumnSpec {
  const { nullable = !options.primaryKey, ...rest } = options;
  return { name, type: columnType, nullable, ...rest };
}

export const type = {
  serial: (): ColumnType => ({ kind: 'serial' }),
  integer: (): ColumnType => ({ kind: 'integer' }),
  bigint: (): ColumnType => ({ kind: 'bigint' }),
  varchar: (length: number): ColumnType => ({ kind: 'varchar', length }),
  text: (): ColumnType => ({ kind: 'text' }),
  longText: (): ColumnType => ({ kind: 'longText' }),
  boolean: (): ColumnType => ({ kind: 'boolean' }),
  timestamp: (): ColumnType => ({ kind: 'timestamp' }),
  date: (): ColumnType => ({ kind: 'date' }),
  numeric: (precision: number, scale: number): ColumnType => ({ kind: 'numeric', precision, scale }),
};

export const defaults = {
  now: (): ColumnDefault => ({ kind: 'now' }),
  value: (value: string | number | boolean): ColumnDefault => ({ kind: 'value', value }),
};

export function index(name: string, columns: string[], options: { unique?: boolean } = {}): IndexSpec {
  return { name, columns, unique: options.unique ?? false };
}

/** A full-text index of the words of `column` (see IndexSpec.fullText). */
export function fullTextIndex(name: string, column: string): IndexSpec {
  return { name, columns: [column], unique: false, fullText: true };
}

/** The canonical text of a type, as both the renderers' tests and the introspectors speak it. */
export function canonicalType(columnType: ColumnType): string {
  switch (columnType.kind) {
    case 'serial':
      return 'integer';
    case 'varchar':
      return `varchar(${columnType.length})`;
    case 'numeric':
      return `numeric(${columnType.precision},${columnType.scale})`;
    case 'longText':
      return 'text';
    default:
      return columnType.kind;
  }
}

/** The canonical text of a default: `now()`, `false`, `0`, `'ACTIVO'`. */
export function canonicalDefault(value: ColumnDefault | undefined): string | null {
  if (!value) return null;
  if (value.kind === 'now') return 'now()';
  if (typeof value.value === 'string') return `'${value.value.replace(/'/g, "''")}'`;
  return String(value.value);
}
