import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachDatabase } from './helpers/test-database.js';
import { charla } from './helpers/cli.js';
import { BASELINE, HEAD, migratorFor } from './helpers/migrations.js';
import { column, type } from '../src/db/schema/table-spec.js';
import type { LiveColumn } from '../src/db/schema/live-schema.js';
import { conversacionesWhatsapp } from '../src/migrations/revisions/20250117_conversaciones_whatsapp.js';

const SIX = conversacionesWhatsapp.indexes.map((i) => i.name);

describeEachDatabase('upgrade with conversaciones_whatsapp already present', ({ fresh }) => {
  it('leaves the existing table untouched, and db check reports the extra ticket_id column', async () => {
    const target = await fresh({ onDisk: true });
    const database = await target.open();
    let columnsBefore: LiveColumn[] = [];
    try {
      await migratorFor(database).migrator.upgrade(BASELINE);
      const { ddl } = database.support;
      // A table made outside Charla: the contract's columns (docs/crm-data.md) plus one Charla does not know, none of its named indexes.
      const existing = {
        ...conversacionesWhatsapp,
        indexes: [],
        columns: [...conversacionesWhatsapp.columns, column('ticket_id', type.integer())],
      };
      for (const statement of ddl.createTable(existing)) await sql.raw(statement).execute(database.kysely);
      await sql
        .raw(
          `INSERT INTO conversaciones_whatsapp (id, message_id, from_number, to_number, message_type, ${ddl.quote('timestamp')}, direccion, ticket_id) ` +
            `VALUES (1, 'wamid.kept', '584121234567', '15550001234', 'text', '2025-01-17 10:00:00', 'INBOUND', 77)`,
        )
        .execute(database.kysely);
      columnsBefore = (await database.support.introspector.describeTable(database.kysely, 'conversaciones_whatsapp'))?.columns ?? [];
    } finally {
      await database.close();
    }

    const upgrade = await charla(target.urlText, 'db', 'upgrade', 'head');
    expect(upgrade.code).toBe(0);
    expect(upgrade.stderr).toContain('already exists; left as it is');

    const reopened = await target.open();
    try {
      const table = await reopened.support.introspector.describeTable(reopened.kysely, 'conversaciones_whatsapp');
      expect(table?.columns).toEqual(columnsBefore);
      expect(table?.columns.map((c) => c.name)).toContain('ticket_id');
      // The seed revision added none of its indexes (later revisions may add their own).
      expect(table?.indexes.map((i) => i.name).filter((name) => SIX.includes(name))).toEqual([]);
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
