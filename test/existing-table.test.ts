import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachDatabase } from './helpers/test-database.js';
import { charla } from './helpers/cli.js';
import { BASELINE, HEAD, migratorFor } from './helpers/migrations.js';

describeEachDatabase('upgrade with conversaciones_whatsapp already present', ({ fresh }) => {
  it('leaves the existing table untouched, and db check reports the extra ticket_id column', async () => {
    const target = await fresh({ onDisk: true });
    const database = await target.open();
    try {
      await migratorFor(database).migrator.upgrade(BASELINE);
      const { ddl } = database.support;
      // A table made outside Charla: fewer indexes than §1, and a column Charla does not know.
      await sql
        .raw(
          `CREATE TABLE ${ddl.quote('conversaciones_whatsapp')} (${ddl.quote('id')} INTEGER NOT NULL PRIMARY KEY, ` +
            `${ddl.quote('message_id')} VARCHAR(100), ${ddl.quote('ticket_id')} INTEGER)`,
        )
        .execute(database.kysely);
      await sql
        .raw(`INSERT INTO conversaciones_whatsapp (id, message_id, ticket_id) VALUES (1, 'wamid.kept', 77)`)
        .execute(database.kysely);
    } finally {
      await database.close();
    }

    const upgrade = await charla(target.urlText, 'db', 'upgrade', 'head');
    expect(upgrade.code).toBe(0);
    expect(upgrade.stderr).toContain('already exists; left as it is');

    const reopened = await target.open();
    try {
      const table = await reopened.support.introspector.describeTable(reopened.kysely, 'conversaciones_whatsapp');
      expect(table?.columns.map((c) => c.name)).toEqual(['id', 'message_id', 'ticket_id']);
      expect(table?.indexes.filter((i) => !i.primary)).toEqual([]);
      const rows = await sql<{ ticket_id: number }>`select ticket_id from conversaciones_whatsapp`.execute(reopened.kysely);
      expect(rows.rows.map((r) => Number(r.ticket_id))).toEqual([77]);
    } finally {
      await reopened.close();
    }

    const current = await charla(target.urlText, 'db', 'current');
    expect(current.stdout).toBe(`${HEAD} (head)`);

    const check = await charla(target.urlText, 'db', 'check');
    expect(check.code).toBe(1);
    expect(check.stdout).toContain('Column conversaciones_whatsapp.ticket_id (integer) exists in the database but no revision defines it.');
    expect(check.stdout).toContain('Column conversaciones_whatsapp.from_number is missing.');
    expect(check.stdout).toContain('Index ix_conversaciones_whatsapp_message_id on conversaciones_whatsapp(message_id) is missing.');
    expect(check.stderr).toContain('SCHEMA_DRIFT');
  });

  it('db check passes on a database Charla migrated itself', async () => {
    const target = await fresh({ onDisk: true });
    expect((await charla(target.urlText, 'db', 'upgrade', 'head')).code).toBe(0);
    const check = await charla(target.urlText, 'db', 'check');
    expect(check.stdout).toBe(`No drift: the schema matches the revisions at ${HEAD}.`);
    expect(check.code).toBe(0);
  });
});
