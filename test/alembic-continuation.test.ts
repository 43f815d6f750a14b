import { sql } from 'kysely';
import { afterEach, expect, it } from 'vitest';
import type { Database } from '../src/db/database.js';
import { defineRevision } from '../src/migrations/engine/revision.js';
import { describeEachDatabase } from './helpers/test-database.js';
import { BASELINE, HEAD, migratorFor, SEED } from './helpers/migrations.js';

/** The statement Alembic runs the first time it touches a database. */
const ALEMBIC_VERSION_DDL =
  'CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))';

/** A CRM table as the lender's system made it: more columns than Charla reads. */
const CLIENTES_WITH_EXTRAS =
  'CREATE TABLE clientes (id INTEGER NOT NULL PRIMARY KEY, cedula VARCHAR(20) NOT NULL, nombres VARCHAR(100) NOT NULL, ' +
  'telefono VARCHAR(100) NOT NULL, email VARCHAR(100) NOT NULL, direccion TEXT NOT NULL, fecha_nacimiento DATE NOT NULL, ' +
  "ocupacion VARCHAR(100) NOT NULL, estado VARCHAR(20) DEFAULT 'ACTIVO', fecha_registro TIMESTAMP NULL, " +
  'fecha_actualizacion TIMESTAMP NULL, notas TEXT, score_riesgo INTEGER, vendedor VARCHAR(50))';

const LONG_ID = '20260101_01_charla_revision_with_a_long_identifier';

/** A later revision whose id does not fit Alembic's VARCHAR(32). */
const longRevision = defineRevision({
  revision: LONG_ID,
  downRevision: HEAD,
  description: 'a later Charla revision',
  async upgrade(op) {
    await op.createIndex('conversaciones_whatsapp', { name: 'ix_test_long_revision', columns: ['direccion'], unique: false });
  },
  async downgrade(op) {
    await op.dropIndex('conversaciones_whatsapp', 'ix_test_long_revision');
  },
});

async function versionColumnLength(database: Database): Promise<number | null> {
  return database.support.introspector.columnLength(database.kysely, 'alembic_version', 'version_num');
}

describeEachDatabase('databases left by Alembic', ({ fresh }) => {
  let database: Database;
  afterEach(async () => database?.close());

  it('continues one at the baseline (widened column) to head, keeping the CRM tables and their extra columns', async () => {
    database = await (await fresh()).open();
    await sql.raw(ALEMBIC_VERSION_DDL).execute(database.kysely);
    await sql.raw(database.support.widenVersionColumn(64)).execute(database.kysely);
    await sql.raw(`INSERT INTO alembic_version (version_num) VALUES ('${BASELINE}')`).execute(database.kysely);
    await sql.raw(CLIENTES_WITH_EXTRAS).execute(database.kysely);
    await sql
      .raw(
        "INSERT INTO clientes (id, cedula, nombres, telefono, email, direccion, fecha_nacimiento, ocupacion, score_riesgo) VALUES (1, 'V-12345678', 'Ana Pérez', '+584121234567', 'ana@example.com', 'Caracas', '1990-05-04', 'Docente', 700)",
      )
      .execute(database.kysely);

    const { migrator, log } = migratorFor(database);
    const steps = await migrator.upgrade('head');
    expect(steps[0]?.revision.revision).toBe(SEED);
    expect(steps.at(-1)?.revision.revision).toBe(HEAD);
    expect(log).toContain(`Running upgrade ${BASELINE} -> ${SEED}, conversaciones whatsapp`);
    expect(await migrator.currentHeads()).toEqual([HEAD]);
    const { rows } = await sql<{ version_num: string }>`select version_num from alembic_version`.execute(database.kysely);
    expect(rows).toEqual([{ version_num: HEAD }]);
    const clientes = await database.support.introspector.describeTable(database.kysely, 'clientes');
    expect(clientes?.columns.map((c) => c.name)).toContain('score_riesgo');
    // Extra columns in a CRM table are not drift; the CRM tables this database never had are.
    const result = await migrator.check();
    expect(result).toEqual({
      heads: [HEAD],
      atHead: true,
      drift: ['Table prestamos is missing.', 'Table cuotas is missing.', 'Table pagos is missing.'],
    });
  });

  it('continues one whose VARCHAR(32) column holds the seed revision, widening it before writing a longer id', async () => {
    database = await (await fresh()).open();
    // As Alembic left it: the CRM tables and conversaciones_whatsapp exist; the version fits in 32 characters.
    await migratorFor(database).migrator.upgrade(SEED);
    await sql`drop table alembic_version`.execute(database.kysely);
    await sql.raw(ALEMBIC_VERSION_DDL).execute(database.kysely);
    await sql.raw(`INSERT INTO alembic_version (version_num) VALUES ('${SEED}')`).execute(database.kysely);
    expect(await versionColumnLength(database)).toBe(32);

    const { migrator } = migratorFor(database, [longRevision]);
    expect(await migrator.currentHeads()).toEqual([SEED]);
    await migrator.upgrade('head');

    expect(await versionColumnLength(database)).toBe(255);
    expect(await migrator.currentHeads()).toEqual([LONG_ID]);
    expect((await migrator.check()).drift).toEqual([]);
    const table = await database.support.introspector.describeTable(database.kysely, 'conversaciones_whatsapp');
    expect(table?.indexes.map((i) => i.name)).toContain('ix_test_long_revision');
  });

  it('creates alembic_version wide enough for the 33-character baseline id', async () => {
    database = await (await fresh()).open();
    const { migrator } = migratorFor(database);
    await migrator.upgrade(BASELINE);
    expect(await versionColumnLength(database)).toBe(255);
    expect(await migrator.currentHeads()).toEqual([BASELINE]);
  });

  it('fails on a revision the scripts do not know, naming it and changing nothing', async () => {
    database = await (await fresh()).open();
    await sql.raw(ALEMBIC_VERSION_DDL).execute(database.kysely);
    await sql.raw(`INSERT INTO alembic_version (version_num) VALUES ('ae1027a6acf')`).execute(database.kysely);
    const { migrator } = migratorFor(database);
    await expect(migrator.upgrade('head')).rejects.toThrow(
      /The database is at revision ae1027a6acf, which none of Charla's revision scripts defines/,
    );
    expect(await database.support.introspector.tableNames(database.kysely)).toEqual(['alembic_version']);
  });
});
