import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { dialectSupportFor, type Database } from '../src/db/database.js';
import { offlineSql } from '../src/migrations/engine/offline-sql.js';
import { RevisionGraph } from '../src/migrations/engine/revision-graph.js';
import { revisions } from '../src/migrations/revisions/index.js';
import { defaults } from '../src/db/schema/table-spec.js';
import { LiveOps } from '../src/migrations/ops/live-ops.js';
import { renamedColumns, renamedIndexes } from '../src/migrations/revisions/20261126_01_nombres_en_espanol.js';
import { hashPassword } from '../src/auth/password.js';
import { signIn } from '../src/auth/auth.service.js';
import { HEAD, migratorFor } from './helpers/migrations.js';
import { describeEachDatabase } from './helpers/test-database.js';

const BEFORE = '20261125_05_cuarentena_webhook';
/** Revision 20261126_01 (the first renames); 20261126_02_nombres_agentes builds on it. */
const SPANISH = '20261126_01_nombres_en_espanol';
const AGENTS = '20261126_02_nombres_agentes';
const ANA = '584121111111';
const LUIS = '584122222222';

/** Rows written under the old names (raw SQL: the row types name the new ones). */
async function seedOldNames(database: Database): Promise<void> {
  const db = database.kysely;
  await sql`insert into conversaciones_whatsapp (id, message_id, from_number, to_number, message_type, body, timestamp, direccion)
    values (1, 'wamid.out-1', '15550000000', ${ANA}, 'text', 'hola', '2026-11-20 10:00:00', 'OUTBOUND')`.execute(db);
  await sql`insert into whatsapp_conversaciones
    (wa_number, cliente_id, mode, verification_step, candidate_cliente_id, failed_attempts, last_inbound_at, receipt_pending)
    values (${ANA}, null, 'agent', 'birth_date', 7, 2, '2026-11-20 09:59:00', true),
           (${LUIS}, 3, 'bot', 'cedula', null, 0, null, false)`.execute(db);
  await sql`insert into whatsapp_envios (conversacion_id, inbound_id, wa_number, payload, estado, attempts, next_attempt_at)
    values (1, null, ${ANA}, '{"kind":"text","body":"hola"}', 'pendiente', 3, '2026-11-20 10:05:00')`.execute(db);
  await sql`insert into whatsapp_mensajes_detalle (message_id, delivery_status, delivery_status_at)
    values ('wamid.out-1', 'read', '2026-11-20 10:01:00')`.execute(db);
}

describe('renames in --sql scripts', () => {
  const graph = new RevisionGraph(revisions);
  it('MySQL/MariaDB: RENAME COLUMN and RENAME INDEX, values translated after the renames, and the way back', async () => {
    const up = await offlineSql(graph, dialectSupportFor('mysql'), 'upgrade', `${BEFORE}:${SPANISH}`);
    expect(up).toContain('ALTER TABLE `whatsapp_conversaciones` RENAME COLUMN `mode` TO `modo`;');
    expect(up).toContain(
      'ALTER TABLE `whatsapp_envios` RENAME INDEX `ix_whatsapp_envios_estado_next` TO `ix_whatsapp_envios_estado_proximo`;',
    );
    expect(up.indexOf("UPDATE whatsapp_conversaciones SET modo = 'agente' WHERE modo = 'agent'")).toBeGreaterThan(up.lastIndexOf('RENAME'));
    const down = await offlineSql(graph, dialectSupportFor('mysql'), 'downgrade', `${HEAD}:${BEFORE}`);
    expect(down).toContain('ALTER TABLE `whatsapp_conversaciones` RENAME COLUMN `modo` TO `mode`;');
    expect(down).toContain("UPDATE whatsapp_conversaciones SET mode = 'agent' WHERE mode = 'agente';");
  });

  it('PostgreSQL: the same inside the transaction', async () => {
    const up = await offlineSql(graph, dialectSupportFor('postgres'), 'upgrade', `${BEFORE}:head`);
    expect(up).toContain('ALTER TABLE "whatsapp_mensajes_detalle" RENAME COLUMN "delivery_status" TO "status";');
    expect(up).toContain(
      'ALTER INDEX IF EXISTS "ix_whatsapp_conversaciones_last_inbound" RENAME TO "ix_whatsapp_conversaciones_ultimo_entrante";',
    );
    expect(up.trim().endsWith('COMMIT;')).toBe(true);
  });

  it('revision 20261126_02: password_hash renamed, role defaults changed, then the role values; the way back likewise', async () => {
    for (const kind of ['mysql', 'postgres'] as const) {
      const q = (name: string) => (kind === 'mysql' ? `\`${name}\`` : `"${name}"`);
      const up = await offlineSql(graph, dialectSupportFor(kind), 'upgrade', `${SPANISH}:${AGENTS}`);
      const rename = `ALTER TABLE ${q('charla_agentes')} RENAME COLUMN ${q('password_hash')} TO ${q('clave_hash')};`;
      const upDefaults = ['charla_agentes', 'charla_tokens_api'].map(
        (table) => `ALTER TABLE ${q(table)} ALTER COLUMN ${q('rol')} SET DEFAULT 'agente';`,
      );
      const upValues = ['charla_agentes', 'charla_tokens_api'].map((table) => `UPDATE ${table} SET rol = 'agente' WHERE rol = 'agent';`);
      for (const statement of [rename, ...upDefaults, ...upValues]) expect(up).toContain(statement);
      const lastDdl = Math.max(up.indexOf(rename), ...upDefaults.map((d) => up.indexOf(d)));
      for (const update of upValues) expect(up.indexOf(update)).toBeGreaterThan(lastDdl);

      const down = await offlineSql(graph, dialectSupportFor(kind), 'downgrade', `${AGENTS}:${SPANISH}`);
      expect(down).toContain(`ALTER TABLE ${q('charla_agentes')} RENAME COLUMN ${q('clave_hash')} TO ${q('password_hash')};`);
      expect(down).toContain(`ALTER TABLE ${q('charla_tokens_api')} ALTER COLUMN ${q('rol')} SET DEFAULT 'agent';`);
      const downUpdate = "UPDATE charla_agentes SET rol = 'agent' WHERE rol = 'agente';";
      expect(down.indexOf(downUpdate)).toBeGreaterThan(down.lastIndexOf('ALTER TABLE'));
      expect(down).not.toContain('whatsapp_conversaciones');
    }
  });
});

describeEachDatabase('renaming columns: revision 20261126_01_nombres_en_espanol and its operations', ({ fresh }) => {
  let database: Database | undefined;
  afterEach(async () => {
    await database?.close();
    database = undefined;
  });

  const columnsOf = async (db: Database, table: string): Promise<string[]> =>
    (await db.support.introspector.describeTable(db.kysely, table))?.columns.map((c) => c.name) ?? [];
  const indexesOf = async (db: Database, table: string): Promise<string[]> =>
    (await db.support.introspector.describeTable(db.kysely, table))?.indexes.map((i) => i.name) ?? [];

  /** Every row as it was, under the new names and with the values in Spanish. */
  async function expectRenamed(db: Database): Promise<void> {
    const conversations = await db.kysely.selectFrom('whatsapp_conversaciones').selectAll().orderBy('wa_number').execute();
    expect(conversations.map((c) => ({ ...c, comprobante_pendiente: Boolean(c.comprobante_pendiente) }))).toMatchObject([
      {
        wa_number: ANA,
        modo: 'agente',
        paso_verificacion: 'fecha_nacimiento',
        cliente_candidato_id: 7,
        intentos_fallidos: 2,
        comprobante_pendiente: true,
      },
      { wa_number: LUIS, cliente_id: 3, modo: 'bot', paso_verificacion: 'cedula', ultimo_entrante_en: null, comprobante_pendiente: false },
    ]);
    expect(conversations[0]?.ultimo_entrante_en).toBeInstanceOf(Date);
    expect(await db.kysely.selectFrom('whatsapp_envios').selectAll().executeTakeFirst()).toMatchObject({
      conversacion_id: 1,
      entrante_id: null,
      contenido: '{"kind":"text","body":"hola"}',
      intentos: 3,
    });
    expect(await db.kysely.selectFrom('whatsapp_mensajes_detalle').select(['status']).executeTakeFirst()).toEqual({ status: 'read' });
    for (const [table, from, to] of renamedColumns) {
      const columns = await columnsOf(db, table);
      expect(columns).toContain(to);
      expect(columns).not.toContain(from);
    }
    for (const [table, from, to] of renamedIndexes) {
      const indexes = await indexesOf(db, table);
      expect(indexes).toContain(to);
      expect(indexes).not.toContain(from);
    }
  }

  it('keeps every row, translates the English values and leaves no drift; downgrade puts names and values back', async () => {
    database = await (await fresh()).open();
    const { migrator } = migratorFor(database);
    await migrator.upgrade(BEFORE);
    await seedOldNames(database);

    await migrator.upgrade('head');
    expect(await migrator.currentHeads()).toEqual([HEAD]);
    await expectRenamed(database);
    expect((await migrator.check()).drift).toEqual([]);

    await migrator.downgrade(BEFORE, { allowDataLoss: false });
    expect(await migrator.currentHeads()).toEqual([BEFORE]);
    const { rows } = await sql<{ wa_number: string; mode: string; verification_step: string }>`
      select wa_number, mode, verification_step from whatsapp_conversaciones order by wa_number`.execute(database.kysely);
    expect(rows).toEqual([
      { wa_number: ANA, mode: 'agent', verification_step: 'birth_date' },
      { wa_number: LUIS, mode: 'bot', verification_step: 'cedula' },
    ]);
    const outbox = await sql<{ payload: string; attempts: number }>`select payload, attempts from whatsapp_envios`.execute(database.kysely);
    expect(outbox.rows).toEqual([{ payload: '{"kind":"text","body":"hola"}', attempts: 3 }]);
    expect(await indexesOf(database, 'whatsapp_envios')).toContain('ix_whatsapp_envios_estado_next');
    expect((await migrator.check()).drift).toEqual([]);

    await migrator.upgrade('head');
    await expectRenamed(database);
  });

  it('completes from a half-applied state (MySQL/MariaDB commit each statement): what is done is left, the rest is done', async () => {
    database = await (await fresh()).open();
    const { migrator, log } = migratorFor(database);
    await migrator.upgrade(BEFORE);
    await seedOldNames(database);
    // As an interrupted run leaves it: two columns and one index renamed, one value translated.
    const { ddl } = database.support;
    for (const statement of [
      ddl.renameColumn('whatsapp_conversaciones', 'mode', 'modo'),
      ddl.renameColumn('whatsapp_conversaciones', 'last_inbound_at', 'ultimo_entrante_en'),
      ddl.renameIndex('whatsapp_conversaciones', 'ix_whatsapp_conversaciones_last_inbound', 'ix_whatsapp_conversaciones_ultimo_entrante'),
      "UPDATE whatsapp_conversaciones SET modo = 'agente' WHERE modo = 'agent'",
    ])
      await sql.raw(statement).execute(database.kysely);

    await migrator.upgrade('head');
    expect(log.join('\n')).toContain('Column whatsapp_conversaciones.mode is already called modo.');
    expect(log.join('\n')).toContain(
      'Index ix_whatsapp_conversaciones_last_inbound is already called ix_whatsapp_conversaciones_ultimo_entrante.',
    );
    await expectRenamed(database);
    expect(await migrator.check()).toMatchObject({ atHead: true, drift: [] });

    // Run again from the top (stamped back): every operation finds its work done.
    await migrator.stamp(BEFORE, { purge: true });
    await migrator.upgrade('head');
    await expectRenamed(database);
    expect((await migrator.check()).drift).toEqual([]);
  });

  it('refuses to rename a column onto one that exists already, changing nothing', async () => {
    database = await (await fresh()).open();
    const { migrator } = migratorFor(database);
    await migrator.upgrade(BEFORE);
    await sql.raw(database.support.ddl.renameColumn('whatsapp_envios', 'attempts', 'intentos')).execute(database.kysely);
    await sql.raw('ALTER TABLE whatsapp_envios ADD COLUMN attempts INTEGER').execute(database.kysely);
    await expect(migrator.upgrade('head')).rejects.toThrow(/Cannot rename whatsapp_envios\.attempts to intentos: both columns exist/);
    expect(await migrator.currentHeads()).toEqual([BEFORE]);
  });

  it('sets and removes a column default, and does nothing when it is already what is asked', async () => {
    database = await (await fresh()).open();
    const { migrator } = migratorFor(database);
    await migrator.upgrade('head');
    const notes: string[] = [];
    const ops = new LiveOps(database.kysely, database.support, { allowDataLoss: false, dryRun: false, note: (n) => notes.push(n) });
    const defaultOf = async () =>
      (await database?.support.introspector.describeTable(database.kysely, 'whatsapp_envios'))?.columns.find((c) => c.name === 'estado')
        ?.default;
    await ops.setColumnDefault('whatsapp_envios', 'estado', defaults.value('en_cola'));
    expect(await defaultOf()).toBe("'en_cola'");
    await ops.setColumnDefault('whatsapp_envios', 'estado', defaults.value('en_cola'));
    await ops.setColumnDefault('whatsapp_envios', 'estado', null);
    expect(await defaultOf()).toBeNull();
    await ops.setColumnDefault('whatsapp_envios', 'estado', defaults.value('pendiente'));
    expect(await defaultOf()).toBe("'pendiente'");
    await ops.setColumnDefault('whatsapp_envios', 'no_such_column', null);
    expect(notes).toEqual(['Column whatsapp_envios.no_such_column does not exist; its default is left alone.']);
    expect((await migrator.check()).drift).toEqual([]);
  });
});

/** An agent, an admin, a session and two API tokens, written at 20261126_01 under the old names. */
async function seedOldAgents(database: Database, passwordHash: string): Promise<void> {
  const db = database.kysely;
  // Ana takes the column's default role (then `agent`); Bea is an admin.
  await sql`insert into charla_agentes (email, nombre, password_hash) values ('ana@example.com', 'Ana', ${passwordHash})`.execute(db);
  await sql`insert into charla_agentes (email, nombre, password_hash, rol) values ('bea@example.com', 'Bea', 'scrypt$x', 'admin')`.execute(
    db,
  );
  const { rows } = await sql<{ id: number }>`select id from charla_agentes where email = 'ana@example.com'`.execute(db);
  await sql`insert into charla_sesiones (token_hash, agente_id, expira_en) values ('s1', ${rows[0]?.id}, '2099-01-01 00:00:00')`.execute(
    db,
  );
  await sql`insert into charla_tokens_api (nombre, token_hash) values ('cobranzas', 't1')`.execute(db);
  await sql`insert into charla_tokens_api (nombre, token_hash, rol) values ('admin', 't2', 'admin')`.execute(db);
}

describeEachDatabase('renaming the sign-in tables: revision 20261126_02_nombres_agentes', ({ fresh }) => {
  let database: Database | undefined;
  afterEach(async () => {
    await database?.close();
    database = undefined;
  });

  const tableOf = (db: Database, table: string) => db.support.introspector.describeTable(db.kysely, table);
  const roleDefault = async (db: Database, table: string) => (await tableOf(db, table))?.columns.find((c) => c.name === 'rol')?.default;

  async function expectRenamed(db: Database, passwordHash: string): Promise<void> {
    const columns = (await tableOf(db, 'charla_agentes'))?.columns.map((c) => c.name);
    expect(columns).toContain('clave_hash');
    expect(columns).not.toContain('password_hash');
    const agents = await db.kysely.selectFrom('charla_agentes').select(['email', 'rol', 'clave_hash']).orderBy('email').execute();
    expect(agents).toEqual([
      { email: 'ana@example.com', rol: 'agente', clave_hash: passwordHash },
      { email: 'bea@example.com', rol: 'admin', clave_hash: 'scrypt$x' },
    ]);
    const tokens = await db.kysely.selectFrom('charla_tokens_api').select(['nombre', 'rol']).orderBy('nombre').execute();
    expect(tokens).toEqual([
      { nombre: 'admin', rol: 'admin' },
      { nombre: 'cobranzas', rol: 'agente' },
    ]);
    expect(await db.kysely.selectFrom('charla_sesiones').select('token_hash').execute()).toEqual([{ token_hash: 's1' }]);
    expect(await roleDefault(db, 'charla_agentes')).toBe("'agente'");
    expect(await roleDefault(db, 'charla_tokens_api')).toBe("'agente'");
  }

  async function expectOldNames(db: Database, passwordHash: string): Promise<void> {
    const { rows } = await sql<{ email: string; rol: string; password_hash: string }>`
      select email, rol, password_hash from charla_agentes order by email`.execute(db.kysely);
    expect(rows).toEqual([
      { email: 'ana@example.com', rol: 'agent', password_hash: passwordHash },
      { email: 'bea@example.com', rol: 'admin', password_hash: 'scrypt$x' },
    ]);
    const tokens = await sql<{ nombre: string; rol: string }>`select nombre, rol from charla_tokens_api order by nombre`.execute(db.kysely);
    expect(tokens.rows).toEqual([
      { nombre: 'admin', rol: 'admin' },
      { nombre: 'cobranzas', rol: 'agent' },
    ]);
    expect(await roleDefault(db, 'charla_agentes')).toBe("'agent'");
    expect(await roleDefault(db, 'charla_tokens_api')).toBe("'agent'");
  }

  it('renames password_hash, translates the roles and their defaults, leaves no drift; downgrade puts them back', async () => {
    const passwordHash = await hashPassword('una-clave-bastante-larga');
    database = await (await fresh()).open();
    const { migrator } = migratorFor(database);
    await migrator.upgrade(SPANISH);
    await seedOldAgents(database, passwordHash);

    await migrator.upgrade('head');
    expect(await migrator.currentHeads()).toEqual([HEAD]);
    await expectRenamed(database, passwordHash);
    expect((await migrator.check()).drift).toEqual([]);
    // The code signs in against the renamed column; a token added without a role gets the new default.
    const session = await signIn(database.kysely, 'ana@example.com', 'una-clave-bastante-larga');
    expect(session?.principal).toMatchObject({ kind: 'agent', email: 'ana@example.com', role: 'agente' });
    await sql`insert into charla_tokens_api (nombre, token_hash) values ('nuevo', 't3')`.execute(database.kysely);
    expect(await database.kysely.selectFrom('charla_tokens_api').select('rol').where('nombre', '=', 'nuevo').executeTakeFirst()).toEqual({
      rol: 'agente',
    });
    await database.kysely.deleteFrom('charla_tokens_api').where('nombre', '=', 'nuevo').execute();
    await database.kysely.deleteFrom('charla_sesiones').where('token_hash', '!=', 's1').execute();

    await migrator.downgrade(SPANISH, { allowDataLoss: false });
    expect(await migrator.currentHeads()).toEqual([SPANISH]);
    await expectOldNames(database, passwordHash);
    expect((await migrator.check()).drift).toEqual([]);

    await migrator.upgrade('head');
    await expectRenamed(database, passwordHash);
    expect((await migrator.check()).drift).toEqual([]);
  });

  it('completes a half-applied upgrade and a half-applied downgrade (MySQL/MariaDB commit each statement)', async () => {
    database = await (await fresh()).open();
    const { migrator, log } = migratorFor(database);
    await migrator.upgrade(SPANISH);
    await seedOldAgents(database, 'scrypt$ana');
    const { ddl } = database.support;
    const run = async (statements: string[]) => {
      for (const statement of statements) await sql.raw(statement).execute(database!.kysely);
    };
    // As an interrupted upgrade leaves it: the column renamed, one default and one table's values changed.
    await run([
      ddl.renameColumn('charla_agentes', 'password_hash', 'clave_hash'),
      ddl.setColumnDefault('charla_agentes', 'rol', defaults.value('agente')),
      "UPDATE charla_agentes SET rol = 'agente' WHERE rol = 'agent'",
    ]);
    await migrator.upgrade('head');
    expect(log.join('\n')).toContain('Column charla_agentes.password_hash is already called clave_hash.');
    await expectRenamed(database, 'scrypt$ana');
    expect(await migrator.check()).toMatchObject({ atHead: true, drift: [] });

    // As an interrupted downgrade leaves it (alembic_version still at head): the column renamed back, one default back.
    await run([
      ddl.renameColumn('charla_agentes', 'clave_hash', 'password_hash'),
      ddl.setColumnDefault('charla_tokens_api', 'rol', defaults.value('agent')),
    ]);
    await migrator.downgrade(SPANISH, { allowDataLoss: false });
    expect(log.join('\n')).toContain('Column charla_agentes.clave_hash is already called password_hash.');
    await expectOldNames(database, 'scrypt$ana');
    expect(await migrator.check()).toMatchObject({ atHead: false, drift: [] });

    // Run again from the top (stamped back): every operation finds its work done.
    await migrator.upgrade('head');
    await migrator.stamp(SPANISH, { purge: true });
    await migrator.upgrade('head');
    await expectRenamed(database, 'scrypt$ana');
    expect((await migrator.check()).drift).toEqual([]);
  });
});
