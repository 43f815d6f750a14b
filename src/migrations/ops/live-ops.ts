import { sql } from 'kysely';
import type { AnyKysely, DialectSupport } from '../../db/dialects/dialect-support.js';
import { canonicalDefault, type ColumnDefault, type ColumnSpec, type IndexSpec, type TableSpec } from '../../db/schema/table-spec.js';
import { CharlaError } from '../../errors/charla-error.js';
import type { MigrationOps, SeedRow } from './migration-ops.js';

export interface LiveOpsOptions {
  /** `--yes`: dropping tables that hold rows is accepted. */
  allowDataLoss: boolean;
  /**
   * Dry run (the downgrade pre-flight): answers questions from the database, runs nothing, and
   * records the tables that would be dropped with their row counts.
   */
  dryRun: boolean;
  note: (message: string) => void;
}

export class LiveOps implements MigrationOps {
  /** In a dry run: the tables the revision would drop, with their rows. */
  readonly wouldDrop: { table: string; rows: number }[] = [];
  /** In a dry run: per table, the rows `deleteRows` would have deleted (not lost when it is dropped). */
  private readonly deleted = new Map<string, number>();

  constructor(
    private readonly db: AnyKysely,
    private readonly support: DialectSupport,
    private readonly options: LiveOpsOptions,
  ) {}

  async hasTable(name: string): Promise<boolean> {
    return (await this.support.introspector.tableNames(this.db)).includes(name);
  }

  async hasColumn(table: string, column: string): Promise<boolean> {
    return (await this.describe(table))?.columns.some((c) => c.name === column) ?? false;
  }

  async createTable(spec: TableSpec): Promise<void> {
    if (await this.hasTable(spec.name)) return this.note(`Table ${spec.name} already exists; left as it is.`);
    for (const statement of this.support.ddl.createTable(spec)) await this.run(statement);
  }

  async dropTable(name: string): Promise<void> {
    if (!(await this.hasTable(name))) return this.note(`Table ${name} does not exist; nothing to drop.`);
    const rows = Math.max(0, (await this.rowCount(name)) - (this.deleted.get(name) ?? 0));
    if (this.options.dryRun) {
      this.wouldDrop.push({ table: name, rows });
      return;
    }
    if (rows > 0 && !this.options.allowDataLoss) throw dataLoss([{ table: name, rows }]);
    for (const statement of this.support.ddl.dropTable(name)) await this.run(statement);
  }

  async addColumn(table: string, column: ColumnSpec): Promise<void> {
    if (await this.hasColumn(table, column.name)) return this.note(`Column ${table}.${column.name} already exists.`);
    await this.run(this.support.ddl.addColumn(table, column));
  }

  async dropColumn(table: string, column: string): Promise<void> {
    if (!(await this.hasColumn(table, column))) return this.note(`Column ${table}.${column} does not exist.`);
    await this.run(this.support.ddl.dropColumn(table, column));
  }

  async renameColumn(table: string, from: string, to: string): Promise<void> {
    const columns = (await this.describe(table))?.columns.map((c) => c.name) ?? [];
    const [hasFrom, hasTo] = [columns.includes(from), columns.includes(to)];
    if (hasFrom && hasTo)
      throw new CharlaError(
        'MIGRATION_FAILED',
        `Cannot rename ${table}.${from} to ${to}: both columns exist. Move what ${to} holds into ${from} (or drop ${to}), then re-run.`,
      );
    if (hasTo) return this.note(`Column ${table}.${from} is already called ${to}.`);
    if (!hasFrom) return this.note(`Column ${table}.${from} does not exist; nothing to rename.`);
    await this.run(this.support.ddl.renameColumn(table, from, to));
  }

  async setColumnDefault(table: string, column: string, value: ColumnDefault | null): Promise<void> {
    const found = (await this.describe(table))?.columns.find((c) => c.name === column);
    if (!found) return this.note(`Column ${table}.${column} does not exist; its default is left alone.`);
    if (found.default === canonicalDefault(value ?? undefined)) return;
    await this.run(this.support.ddl.setColumnDefault(table, column, value));
  }

  async renameIndex(table: string, from: string, to: string): Promise<void> {
    const indexes = (await this.describe(table))?.indexes.map((i) => i.name) ?? [];
    if (indexes.includes(to)) return this.note(`Index ${from} is already called ${to}.`);
    if (!indexes.includes(from)) return this.note(`Index ${from} does not exist; nothing to rename.`);
    await this.run(this.support.ddl.renameIndex(table, from, to));
  }

  async createIndex(table: string, index: IndexSpec): Promise<void> {
    if (await this.hasIndex(table, index.name)) return this.note(`Index ${index.name} already exists.`);
    await this.run(this.support.ddl.createIndex(table, index));
  }

  async dropIndex(table: string, name: string): Promise<void> {
    if (!(await this.hasIndex(table, name))) return this.note(`Index ${name} does not exist.`);
    await this.run(this.support.ddl.dropIndex(table, name));
  }

  async insertRows(table: string, key: string, rows: readonly SeedRow[]): Promise<void> {
    for (const row of rows) {
      const value = row[key];
      if (value === undefined) throw new Error(`A seed row for ${table} has no ${key}.`);
      const present = await this.db.selectFrom(table).select(sql.lit(1).as('x')).where(key, '=', value).executeTakeFirst();
      if (present) this.note(`${table}: a row with ${key} ${JSON.stringify(value)} exists already; left as it is.`);
      else if (!this.options.dryRun) await this.db.insertInto(table).values(row).execute();
    }
  }

  async deleteRows(table: string, rows: readonly SeedRow[]): Promise<void> {
    if (!(await this.hasTable(table))) return;
    for (const row of rows) {
      const columns = Object.entries(row);
      if (this.options.dryRun) {
        const { n } = await this.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .where((eb) => eb.and(columns.map(([column, value]) => eb(column, '=', value))))
          .executeTakeFirstOrThrow();
        this.deleted.set(table, (this.deleted.get(table) ?? 0) + Number(n));
      } else {
        await this.db
          .deleteFrom(table)
          .where((eb) => eb.and(columns.map(([column, value]) => eb(column, '=', value))))
          .execute();
      }
    }
  }

  async execute(statement: string): Promise<void> {
    await this.run(statement);
  }

  note(message: string): void {
    if (!this.options.dryRun) this.options.note(message);
  }

  private async run(statement: string): Promise<void> {
    if (!this.options.dryRun) await sql.raw(statement).execute(this.db);
  }

  private async describe(table: string) {
    return this.support.introspector.describeTable(this.db, table);
  }

  private async hasIndex(table: string, name: string): Promise<boolean> {
    return (await this.describe(table))?.indexes.some((i) => i.name === name) ?? false;
  }

  private async rowCount(table: string): Promise<number> {
    const { rows } = await sql<{ n: number | string }>`select count(*) as n from ${sql.table(table)}`.execute(this.db);
    return Number(rows[0]?.n ?? 0);
  }
}

export function dataLoss(tables: { table: string; rows: number }[]): CharlaError {
  const list = tables.map((t) => `${t.table} (${t.rows} ${t.rows === 1 ? 'row' : 'rows'})`).join(', ');
  return new CharlaError(
    'MIGRATION_DATA_LOSS',
    `This downgrade would drop ${list}, and those rows would be lost. Back them up, then re-run with --yes to confirm.`,
  );
}
