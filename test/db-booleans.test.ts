import { expect, it } from 'vitest';
import { migratorFor } from './helpers/migrations.js';
import { insertMessages } from './helpers/messages.js';
import { describeEachDatabase } from './helpers/test-database.js';

describeEachDatabase('boolean columns', ({ fresh }) => {
  it('come back as booleans on every database (MySQL stores them as TINYINT(1))', async () => {
    const database = await (await fresh()).open();
    try {
      await migratorFor(database).migrator.upgrade('head');
      await insertMessages(database, {}, { procesado: true });
      const rows = await database.kysely
        .selectFrom('conversaciones_whatsapp')
        .select(['procesado', 'respuesta_enviada'])
        .orderBy('id')
        .execute();
      expect(rows).toEqual([
        { procesado: false, respuesta_enviada: false },
        { procesado: true, respuesta_enviada: false },
      ]);
    } finally {
      await database.close();
    }
  });
});
