import { sql } from 'kysely';
import type { AnyKysely, DialectSupport } from '../../db/dialects/dialect-support.js';

/**
 * Alembic's `alembic_version`: one row per head. Alembic creates `version_num` as VARCHAR(32);
 * Charla's ids are longer (the baseline has 33 characters), so Charla creates it wider and widens
 * a narrow column before it writes a longer id.
 */
export const VERSION_TABLE = 'alembic_version';
export const VERSION_COLUMN_LENGTH = 255;

export function createVersionTableSql(): string {
  return (
    `CREATE TABLE IF NOT EXISTS alembic_version (version_num VARCHAR(${VERSION_COLUMN_LENGTH}) NOT NULL, ` +
    'CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))'
  );
}

/** The heads stored in the database; none when the table does not exist yet. */
export async function readHeads(db: AnyKysely, support: DialectSupport): Promise<string[]> {
  if ((await support.introspector.columnLength(db, VERSION_TABLE, 'version_num')) === null) return [];
  const { rows } = await sql<{ version_num: string }>`select version_num from alembic_version`.execute(db);
  return rows.map((r) => r.version_num).sort();
}

/** Creates the table if missing and widens `version_num` if an id of `longest` characters would not fit. */
export async function ensureVersionTable(db: AnyKysely, support: DialectSupport, longest: number): Promise<void> {
  const length = await support.introspector.columnLength(db, VERSION_TABLE, 'version_num');
  if (length === null) {
    await sql.raw(createVersionTableSql()).execute(db);
  } else if (length < longest) {
    await sql.raw(support.widenVersionColumn(VERSION_COLUMN_LENGTH)).execute(db);
  }
}

/** The statements that turn the rows `before` into `after`, the way Alembic writes them. */
export function versionStatements(before: readonly string[], after: readonly string[]): string[] {
  const removed = before.filter((v) => !after.includes(v));
  const added = after.filter((v) => !before.includes(v));
  const statements: string[] = [];
  for (const id of added) {
    const replaced = removed.shift();
    statements.push(
      replaced === undefined
        ? `INSERT INTO alembic_version (version_num) VALUES (${literal(id)})`
        : `UPDATE alembic_version SET version_num=${literal(id)} WHERE alembic_version.version_num = ${literal(replaced)}`,
    );
  }
  for (const id of removed) statements.push(`DELETE FROM alembic_version WHERE alembic_version.version_num = ${literal(id)}`);
  return statements;
}

function literal(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
