/** The schema of a live database table, as a dialect's introspector reads it, in canonical form. */
export interface LiveColumn {
  name: string;
  /** Canonical type text: `integer`, `varchar(100)`, `text`, `boolean`, `timestamp`, `date`, `numeric(15,2)`, or the raw type. */
  type: string;
  nullable: boolean;
  /** Canonical default text (`now()`, `false`, `0`, `'ACTIVO'`) or null. */
  default: string | null;
  autoIncrement: boolean;
}

export interface LiveIndex {
  name: string;
  columns: string[];
  unique: boolean;
  primary: boolean;
  /** A full-text index of its one column (table-spec's `fullTextIndex`). */
  fullText?: boolean;
}

export interface LiveForeignKey {
  name: string;
  columns: string[];
  referencedTable: string;
  referencedColumns: string[];
}

export interface LiveTable {
  name: string;
  columns: LiveColumn[];
  indexes: LiveIndex[];
  foreignKeys: LiveForeignKey[];
}

/** Turns a numeric default such as `0.00` into `0`, leaving everything else alone. */
export function canonicalNumber(text: string): string {
  return /^-?\d+(\.\d+)?$/.test(text) ? String(Number(text)) : text;
}
