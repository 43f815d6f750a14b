import { afterEach, expect, it } from 'vitest';
import type { Database } from '../src/db/database.js';
import { describeEachDatabase } from './helpers/test-database.js';
import { migratorFor, SEED } from './helpers/migrations.js';
import { insertMessages } from './helpers/messages.js';

/** The table of docs/crm-data.md, written out by hand: the contract the revision must produce on every database. */
const expectedColumns = [
  { name: 'id', type: 'integer', nullable: false, default: null, autoIncrement: true },
  { name: 'message_id', type: 'varchar(100)', nullable: true, default: null, autoIncrement: false },
  { name: 'from_number', type: 'varchar(20)', nullable: false, default: null, autoIncrement: false },
  { name: 'to_number', type: 'varchar(20)', nullable: false, default: null, autoIncrement: false },
  { name: 'message_type', type: 'varchar(20)', nullable: false, default: null, autoIncrement: false },
  { name: 'body', type: 'text', nullable: true, default: null, autoIncrement: false },
  { name: 'timestamp', type: 'timestamp', nullable: false, default: null, autoIncrement: false },
  { name: 'direccion', type: 'varchar(10)', nullable: false, default: null, autoIncrement: false },
  { name: 'cliente_id', type: 'integer', nullable: true, default: null, autoIncrement: false },
  { name: 'procesado', type: 'boolean', nullable: false, default: 'false', autoIncrement: false },
  { name: 'respuesta_enviada', type: 'boolean', nullable: false, default: 'false', autoIncrement: false },
  { name: 'respuesta_id', type: 'integer', nullable: true, default: null, autoIncrement: false },
  { name: 'respuesta_bot', type: 'text', nullable: true, default: null, autoIncrement: false },
  { name: 'respuesta_meta_id', type: 'varchar(100)', nullable: true, default: null, autoIncrement: false },
  { name: 'error', type: 'text', nullable: true, default: null, autoIncrement: false },
  { name: 'creado_en', type: 'timestamp', nullable: false, default: 'now()', autoIncrement: false },
  { name: 'actualizado_en', type: 'timestamp', nullable: false, default: 'now()', autoIncrement: false },
];

const namedIndexes = [
  { name: 'ix_conversaciones_whatsapp_cliente_id', columns: ['cliente_id'], unique: false, primary: false },
  { name: 'ix_conversaciones_whatsapp_creado_en', columns: ['creado_en'], unique: false, primary: false },
  { name: 'ix_conversaciones_whatsapp_from_number', columns: ['from_number'], unique: false, primary: false },
  { name: 'ix_conversaciones_whatsapp_id', columns: ['id'], unique: false, primary: false },
  { name: 'ix_conversaciones_whatsapp_message_id', columns: ['message_id'], unique: true, primary: false },
  { name: 'ix_conversaciones_whatsapp_timestamp', columns: ['timestamp'], unique: false, primary: false },
];

/** Besides the six named indexes: the primary key, and on MySQL/MariaDB the index InnoDB adds for a foreign key. */
const engineIndexes = {
  pglite: [{ name: 'conversaciones_whatsapp_pkey', columns: ['id'], unique: true, primary: true }],
  postgres: [{ name: 'conversaciones_whatsapp_pkey', columns: ['id'], unique: true, primary: true }],
  mysql: [
    { name: 'PRIMARY', columns: ['id'], unique: true, primary: true },
    { name: 'respuesta_id', columns: ['respuesta_id'], unique: false, primary: false },
  ],
};

describeEachDatabase('upgrade to 20250117_conversaciones_whatsapp', ({ engine, fresh }) => {
  let database: Database;
  afterEach(async () => database?.close());

  it('creates exactly the columns, types, defaults, indexes and foreign keys of the contract', async () => {
    database = await (await fresh()).open();
    const { migrator } = migratorFor(database);
    await migrator.upgrade(SEED);

    const table = await database.support.introspector.describeTable(database.kysely, 'conversaciones_whatsapp');
    expect(table?.columns).toEqual(expectedColumns);
    const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
    expect([...(table?.indexes ?? [])].sort(byName)).toEqual([...namedIndexes, ...engineIndexes[engine]].sort(byName));
    expect(
      table?.foreignKeys.map(({ columns, referencedTable, referencedColumns }) => ({ columns, referencedTable, referencedColumns })),
    ).toEqual(
      expect.arrayContaining([
        { columns: ['cliente_id'], referencedTable: 'clientes', referencedColumns: ['id'] },
        { columns: ['respuesta_id'], referencedTable: 'conversaciones_whatsapp', referencedColumns: ['id'] },
      ]),
    );
    expect(table?.foreignKeys).toHaveLength(2);
    expect(await migrator.currentHeads()).toEqual([SEED]);
  });

  it('stores what the defaults promise: procesado false, creado_en now, in UTC', async () => {
    database = await (await fresh()).open();
    await migratorFor(database).migrator.upgrade('head');
    const before = Date.now();
    await insertMessages(database, {
      message_id: 'wamid.default-check',
      body: 'hola, ¿cuánto debo? 😀',
      timestamp: new Date('2025-01-17T12:00:00Z'),
    });
    const row = await database.kysely.selectFrom('conversaciones_whatsapp').selectAll().executeTakeFirstOrThrow();
    expect(Boolean(row.procesado)).toBe(false);
    expect(Boolean(row.respuesta_enviada)).toBe(false);
    expect(row.body).toBe('hola, ¿cuánto debo? 😀');
    expect(row.timestamp.toISOString()).toBe('2025-01-17T12:00:00.000Z');
    expect(Math.abs(row.creado_en.getTime() - before)).toBeLessThan(60_000);
  });
});
