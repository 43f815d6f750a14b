import { sql } from 'kysely';
import { afterEach, expect, it } from 'vitest';
import type { Database } from '../src/db/database.js';
import { describeEachDatabase } from './helpers/test-database.js';
import { charla } from './helpers/cli.js';
import { BASELINE, HEAD, migratorFor, SEED } from './helpers/migrations.js';
import { insertMessages } from './helpers/messages.js';

const SIX_INDEXES = [
  'ix_conversaciones_whatsapp_id',
  'ix_conversaciones_whatsapp_message_id',
  'ix_conversaciones_whatsapp_from_number',
  'ix_conversaciones_whatsapp_timestamp',
  'ix_conversaciones_whatsapp_cliente_id',
  'ix_conversaciones_whatsapp_creado_en',
];

/** Index names anywhere in the database, whatever table they belong to. */
async function indexNames(database: Database): Promise<string[]> {
  const query = database.support.supportsTransactionalDdl
    ? sql<{ name: string }>`select indexname as name from pg_indexes where schemaname = current_schema()`
    : sql<{ name: string }>`select INDEX_NAME as name from information_schema.STATISTICS where TABLE_SCHEMA = database()`;
  return (await query.execute(database.kysely)).rows.map((r) => r.name);
}

describeEachDatabase('downgrade', ({ fresh }) => {
  let database: Database | undefined;
  afterEach(async () => {
    await database?.close();
    database = undefined;
  });

  it('downgrade -1 from the seed revision removes the table and its six indexes; upgrade brings them back', async () => {
    const target = await fresh({ onDisk: true });
    expect((await charla(target.urlText, 'db', 'upgrade', SEED)).code).toBe(0);

    const down = await charla(target.urlText, 'db', 'downgrade', '-1');
    expect(down.code).toBe(0);
    expect(down.stderr).toContain(`Running downgrade ${SEED} -> ${BASELINE}, conversaciones whatsapp`);
    database = await target.open();
    expect(await database.support.introspector.describeTable(database.kysely, 'conversaciones_whatsapp')).toBeNull();
    const remaining = await indexNames(database);
    expect(remaining.filter((name) => SIX_INDEXES.includes(name))).toEqual([]);
    expect(remaining).toContain('ix_clientes_cedula');
    await database.close();
    database = undefined;

    expect((await charla(target.urlText, 'db', 'current')).stdout).toBe(BASELINE);

    const up = await charla(target.urlText, 'db', 'upgrade', SEED);
    expect(up.code).toBe(0);
    database = await target.open();
    expect((await indexNames(database)).filter((name) => SIX_INDEXES.includes(name)).sort()).toEqual([...SIX_INDEXES].sort());
  });

  it('refuses to drop a table holding rows without --yes, saying how many rows', async () => {
    database = await (await fresh()).open();
    const { migrator } = migratorFor(database);
    await migrator.upgrade(SEED);
    await insertMessages(database, { message_id: 'wamid.a' }, { message_id: 'wamid.b' }, { message_id: 'wamid.c' });

    await expect(migrator.downgrade('-1', { allowDataLoss: false })).rejects.toThrow(
      'This downgrade would drop conversaciones_whatsapp (3 rows), and those rows would be lost. Back them up, then re-run with --yes to confirm.',
    );
    expect(await migrator.currentHeads()).toEqual([SEED]);
    const count = await database.kysely
      .selectFrom('conversaciones_whatsapp')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(3);

    await migrator.downgrade('-1', { allowDataLoss: true });
    expect(await migrator.currentHeads()).toEqual([BASELINE]);
  });

  it('refuses to downgrade the baseline, before changing anything', async () => {
    database = await (await fresh()).open();
    const { migrator } = migratorFor(database);
    await migrator.upgrade('head');
    await expect(migrator.downgrade('base', { allowDataLoss: true })).rejects.toThrow(
      /baseline 20251114_05_modelos_impago_cuotas cannot be downgraded/,
    );
    expect(await migrator.currentHeads()).toEqual([HEAD]);
    expect(await database.support.introspector.describeTable(database.kysely, 'conversaciones_whatsapp')).not.toBeNull();
  });
});
