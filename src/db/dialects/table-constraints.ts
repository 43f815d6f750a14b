import type { TableSpec } from '../schema/table-spec.js';

/** The PRIMARY KEY and FOREIGN KEY lines of a CREATE TABLE, the same in every dialect but for quoting. */
export function constraintLines(spec: TableSpec, quote: (identifier: string) => string): { primaryKey: string[]; foreignKeys: string[] } {
  const primaryKey = spec.columns.filter((c) => c.primaryKey).map((c) => quote(c.name));
  return {
    primaryKey: primaryKey.length > 0 ? [`PRIMARY KEY (${primaryKey.join(', ')})`] : [],
    foreignKeys: spec.columns.flatMap((c) =>
      c.references ? [`FOREIGN KEY(${quote(c.name)}) REFERENCES ${quote(c.references.table)} (${quote(c.references.column)})`] : [],
    ),
  };
}
