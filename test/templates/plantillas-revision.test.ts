import { afterEach, expect, it } from 'vitest';
import { dialectSupportFor, type Database } from '../../src/db/database.js';
import { offlineSql } from '../../src/migrations/engine/offline-sql.js';
import { RevisionGraph } from '../../src/migrations/engine/revision-graph.js';
import { revisions } from '../../src/migrations/revisions/index.js';
import { migratorFor } from '../helpers/migrations.js';
import { describeEachDatabase } from '../helpers/test-database.js';

const PLANTILLAS = '20261127_02_plantillas';
const BEFORE = '20261127_01_eventos_inbox';
const SHIPPED = ['comprobante_recibido', 'despedida', 'proxima_cuota', 'saldo', 'saludo'];

describeEachDatabase('revision 20261127_02_plantillas', ({ fresh }) => {
  let database: Database | undefined;
  afterEach(async () => {
    await database?.close();
    database = undefined;
  });

  const atajos = async (db: Database) =>
    (await db.kysely.selectFrom('whatsapp_respuestas_rapidas').select('atajo').orderBy('atajo').execute()).map((r) => r.atajo);

  it('creates both tables with the shipped canned replies, once; a downgrade takes back only what it shipped', async () => {
    database = await (await fresh()).open();
    const { migrator, log } = migratorFor(database);
    await migrator.upgrade(PLANTILLAS);
    expect(await atajos(database)).toEqual(SHIPPED);
    const saludo = await database.kysely
      .selectFrom('whatsapp_respuestas_rapidas')
      .select(['texto', 'creado_en'])
      .where('atajo', '=', 'saludo')
      .executeTakeFirstOrThrow();
    expect(saludo.texto).toContain('{nombre}');
    expect(saludo.creado_en).toBeInstanceOf(Date);
    expect((await migrator.check()).drift).toEqual([]);

    // Unchanged shipped replies go with the table: no --yes needed.
    await migrator.downgrade(BEFORE, { allowDataLoss: false });
    expect(await database.support.introspector.describeTable(database.kysely, 'whatsapp_respuestas_rapidas')).toBeNull();
    expect(await database.support.introspector.describeTable(database.kysely, 'whatsapp_plantillas')).toBeNull();

    // Up again, and a re-run over rows already there (stamped back) keeps them once, changes included.
    await migrator.upgrade(PLANTILLAS);
    await database.kysely
      .updateTable('whatsapp_respuestas_rapidas')
      .set({ texto: 'Hola {nombre}, cambiado' })
      .where('atajo', '=', 'saludo')
      .execute();
    await migrator.stamp(BEFORE, { purge: true });
    await migrator.upgrade(PLANTILLAS);
    expect(log.join('\n')).toContain('whatsapp_respuestas_rapidas: a row with atajo "saludo" exists already; left as it is.');
    expect(await atajos(database)).toEqual(SHIPPED);

    // A reply an admin changed or added is theirs: the downgrade is refused without --yes, naming what would be lost.
    await database.kysely.insertInto('whatsapp_respuestas_rapidas').values({ atajo: 'propia', texto: 'Una respuesta propia' }).execute();
    await expect(migrator.downgrade(BEFORE, { allowDataLoss: false })).rejects.toThrow(
      'This downgrade would drop whatsapp_respuestas_rapidas (2 rows), and those rows would be lost.',
    );
    expect(await migrator.currentHeads()).toEqual([PLANTILLAS]);
    expect(await atajos(database)).toEqual([...SHIPPED, 'propia'].sort());
    await migrator.downgrade(BEFORE, { allowDataLoss: true });
    expect(await migrator.currentHeads()).toEqual([BEFORE]);
  });
});

it('writes the shipped replies and their removal as SQL for a DBA (--sql)', async () => {
  const graph = new RevisionGraph(revisions);
  for (const kind of ['postgres', 'mysql'] as const) {
    const up = await offlineSql(graph, dialectSupportFor(kind), 'upgrade', `${BEFORE}:${PLANTILLAS}`);
    expect(up).toContain('whatsapp_plantillas');
    expect(up).toMatch(/INSERT INTO .whatsapp_respuestas_rapidas. \(.atajo., .texto.\) VALUES \('saludo', '¡Hola, \{nombre\}!/);
    const down = await offlineSql(graph, dialectSupportFor(kind), 'downgrade', `${PLANTILLAS}:${BEFORE}`);
    expect(down).toMatch(/DELETE FROM .whatsapp_respuestas_rapidas. WHERE .atajo. = 'saludo' AND .texto. = /);
  }
});
