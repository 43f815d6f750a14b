import type { AnyKysely, DialectSupport } from '../../db/dialects/dialect-support.js';
import type { LiveIndex, LiveTable } from '../../db/schema/live-schema.js';
import { canonicalDefault, canonicalType, type TableSpec } from '../../db/schema/table-spec.js';

/**
 * Differences between the live schema and the tables the revisions define, one line each.
 * Tables Charla owns must match exactly; the lender's CRM tables only need the columns Charla reads.
 */
export async function compareSchema(db: AnyKysely, support: DialectSupport, expected: readonly TableSpec[]): Promise<string[]> {
  const drift: string[] = [];
  for (const spec of expected) {
    const live = await support.introspector.describeTable(db, spec.name);
    if (!live) {
      drift.push(`Table ${spec.name} is missing.`);
      continue;
    }
    drift.push(...compareColumns(spec, live));
    if (spec.ownership === 'charla') drift.push(...compareIndexes(spec, live), ...compareForeignKeys(spec, live));
  }
  return drift;
}

function compareColumns(spec: TableSpec, live: LiveTable): string[] {
  const drift: string[] = [];
  for (const column of spec.columns) {
    const found = live.columns.find((c) => c.name === column.name);
    const where = `${spec.name}.${column.name}`;
    if (!found) {
      drift.push(`Column ${where} is missing.`);
      continue;
    }
    if (spec.ownership !== 'charla') continue;
    const type = canonicalType(column.type);
    if (found.type !== type) drift.push(`Column ${where} is ${found.type}; the revisions define ${type}.`);
    if (found.nullable !== column.nullable)
      drift.push(
        `Column ${where} is ${found.nullable ? 'NULL' : 'NOT NULL'}; the revisions define ${column.nullable ? 'NULL' : 'NOT NULL'}.`,
      );
    const serial = column.type.kind === 'serial';
    if (found.autoIncrement !== serial)
      drift.push(
        `Column ${where} is ${found.autoIncrement ? '' : 'not '}auto-incrementing; the revisions define it ${serial ? '' : 'not '}so.`,
      );
    const defaultText = canonicalDefault(column.default);
    if (found.default !== defaultText)
      drift.push(`Column ${where} has default ${found.default ?? 'none'}; the revisions define ${defaultText ?? 'none'}.`);
  }
  if (spec.ownership === 'charla') {
    for (const extra of live.columns.filter((c) => !spec.columns.some((s) => s.name === c.name))) {
      drift.push(`Column ${spec.name}.${extra.name} (${extra.type}) exists in the database but no revision defines it.`);
    }
  }
  return drift;
}

function compareIndexes(spec: TableSpec, live: LiveTable): string[] {
  const drift: string[] = [];
  for (const index of spec.indexes) {
    const found = live.indexes.find((i) => i.name === index.name);
    if (!found) drift.push(`Index ${index.name} on ${spec.name}(${index.columns.join(', ')}) is missing.`);
    else if (
      found.columns.join(',') !== index.columns.join(',') ||
      found.unique !== index.unique ||
      Boolean(found.fullText) !== Boolean(index.fullText)
    ) {
      drift.push(
        `Index ${index.name} is ${describeIndex(found.unique, found.columns, found.fullText)}; the revisions define ${describeIndex(index.unique, index.columns, index.fullText)}.`,
      );
    }
  }
  for (const extra of live.indexes.filter(
    (i) => !i.primary && !isForeignKeyIndex(i, live) && !spec.indexes.some((s) => s.name === i.name),
  )) {
    drift.push(`Index ${extra.name} on ${spec.name}(${extra.columns.join(', ')}) exists in the database but no revision defines it.`);
  }
  return drift;
}

function compareForeignKeys(spec: TableSpec, live: LiveTable): string[] {
  const drift: string[] = [];
  const key = (columns: string[], table: string, referenced: string[]): string =>
    `${columns.join(',')} -> ${table}(${referenced.join(',')})`;
  const liveKeys = live.foreignKeys.map((f) => key(f.columns, f.referencedTable, f.referencedColumns));
  const expectedKeys = spec.columns
    .filter((c) => c.references)
    .map((c) => key([c.name], c.references?.table ?? '', [c.references?.column ?? '']));
  for (const missing of expectedKeys.filter((k) => !liveKeys.includes(k))) drift.push(`Foreign key ${spec.name}.${missing} is missing.`);
  for (const extra of liveKeys.filter((k) => !expectedKeys.includes(k)))
    drift.push(`Foreign key ${spec.name}.${extra} exists in the database but no revision defines it.`);
  return drift;
}

/** MySQL/MariaDB create an index for a foreign key, named after the constraint or its column. */
function isForeignKeyIndex(index: LiveIndex, live: LiveTable): boolean {
  return live.foreignKeys.some(
    (fk) => fk.columns.join(',') === index.columns.join(',') && (index.name === fk.name || index.name === fk.columns[0]),
  );
}

function describeIndex(unique: boolean, columns: string[], fullText?: boolean): string {
  return `${fullText ? 'FULLTEXT ' : unique ? 'UNIQUE ' : ''}(${columns.join(', ')})`;
}
