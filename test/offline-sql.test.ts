import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { dialectSupportFor } from '../src/db/database.js';
import { Migrator } from '../src/migrations/engine/migrator.js';
import { offlineSql } from '../src/migrations/engine/offline-sql.js';
import { defineRevision } from '../src/migrations/engine/revision.js';
import { RevisionGraph } from '../src/migrations/engine/revision-graph.js';
import { revisions } from '../src/migrations/revisions/index.js';
import { charla } from './helpers/cli.js';
import { BASELINE, HEAD, SEED } from './helpers/migrations.js';
import { describeEachDatabase } from './helpers/test-database.js';

const graph = new RevisionGraph(revisions);

/** The statements of an offline script, without comments. */
const statements = (script: string): string[] =>
  script
    .split('\n')
    .filter((line) => !line.startsWith('--'))
    .join('\n')
    .split(/;\n/)
    .map((s) => s.trim())
    .filter((s) => s !== '' && !s.startsWith('--'));

describe('upgrade --sql', () => {
  it('prints PostgreSQL SQL in one transaction, writing alembic_version as Alembic does, without connecting', async () => {
    // Port 1 has nothing listening: the command must not try to connect.
    const run = await charla('postgres://nobody@127.0.0.1:1/none', 'db', 'upgrade', 'head', '--sql');
    expect(run.code).toBe(0);
    const lines = statements(run.stdout);
    expect(lines[0]).toBe('BEGIN');
    expect(lines[1]).toBe(
      'CREATE TABLE IF NOT EXISTS alembic_version (version_num VARCHAR(255) NOT NULL, CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))',
    );
    expect(lines).toContain(`INSERT INTO alembic_version (version_num) VALUES ('${BASELINE}')`);
    expect(lines).toContain(`UPDATE alembic_version SET version_num='${SEED}' WHERE alembic_version.version_num = '${BASELINE}'`);
    expect(lines).toContain(
      'CREATE UNIQUE INDEX IF NOT EXISTS "ix_conversaciones_whatsapp_message_id" ON "conversaciones_whatsapp" ("message_id")',
    );
    expect(lines.at(-1)).toBe('COMMIT');
    expect(run.stdout).toContain(`-- Running upgrade ${BASELINE} -> ${SEED}, conversaciones whatsapp`);
  });

  it('prints MySQL SQL with each table and its indexes in one statement, and no transaction', async () => {
    const run = await charla('mysql://nobody@127.0.0.1:1/none', 'db', 'upgrade', `${BASELINE}:${SEED}`, '--sql');
    expect(run.code).toBe(0);
    const lines = statements(run.stdout);
    expect(lines).not.toContain('BEGIN');
    expect(lines[0]).toMatch(/^CREATE TABLE IF NOT EXISTS `conversaciones_whatsapp` \(/);
    expect(lines[0]).toContain('UNIQUE INDEX `ix_conversaciones_whatsapp_message_id` (`message_id`)');
    // The seed id has 32 characters: it fits an Alembic column, so nothing is widened.
    expect(lines.slice(1)).toEqual([`UPDATE alembic_version SET version_num='${SEED}' WHERE alembic_version.version_num = '${BASELINE}'`]);
  });

  it('downgrade --sql needs a start revision', async () => {
    const run = await charla('mysql://nobody@127.0.0.1:1/none', 'db', 'downgrade', BASELINE, '--sql');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('downgrade --sql needs a start and an end');
    const ranged = await charla('mysql://nobody@127.0.0.1:1/none', 'db', 'downgrade', `${SEED}:${BASELINE}`, '--sql');
    // The baseline id has 33 characters: an Alembic VARCHAR(32) column is widened before it is written.
    expect(statements(ranged.stdout)).toEqual([
      'DROP TABLE IF EXISTS `conversaciones_whatsapp`',
      'ALTER TABLE alembic_version MODIFY version_num VARCHAR(255) NOT NULL',
      `UPDATE alembic_version SET version_num='${BASELINE}' WHERE alembic_version.version_num = '${SEED}'`,
    ]);
  });

  it('widens an Alembic VARCHAR(32) column before the first id that does not fit', async () => {
    const longId = '20260101_01_charla_revision_with_a_long_identifier';
    const extended = new RevisionGraph([
      ...revisions,
      defineRevision({ revision: longId, downRevision: HEAD, description: 'later', upgrade: async () => {}, downgrade: async () => {} }),
    ]);
    const lines = statements(await offlineSql(extended, dialectSupportFor('postgres'), 'upgrade', `${HEAD}:head`));
    expect(lines).toEqual([
      'BEGIN',
      'ALTER TABLE alembic_version ALTER COLUMN version_num TYPE VARCHAR(255)',
      `UPDATE alembic_version SET version_num='${longId}' WHERE alembic_version.version_num = '${HEAD}'`,
      'COMMIT',
    ]);
  });
});

describeEachDatabase('the offline script, run by a DBA', ({ fresh }) => {
  it('produces the same schema as an online upgrade', async () => {
    const database = await (await fresh()).open();
    try {
      const script = await offlineSql(graph, database.support, 'upgrade', 'head');
      await database.kysely.connection().execute(async (connection) => {
        for (const statement of statements(script)) await sql.raw(statement).execute(connection);
      });
      const migrator = new Migrator(graph, database);
      expect(await migrator.check()).toEqual({ heads: [HEAD], atHead: true, drift: [] });
    } finally {
      await database.close();
    }
  });
});
