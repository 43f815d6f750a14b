import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { recountStatistics, SETTLE_MS, statistics } from '../../src/api/statistics.repository.js';
import type { Database } from '../../src/db/database.js';
import { seedCustomer } from '../helpers/customers.js';
import { insertMessages } from '../helpers/messages.js';
import { migratorFor } from '../helpers/migrations.js';
import { describeEachDatabase } from '../helpers/test-database.js';

/** The statistics as a direct SQL count over the whole table: what the endpoint must equal. */
async function counted(database: Database, now: Date) {
  const dayAgo = new Date(now.getTime() - 24 * 3600 * 1000);
  const { rows } = await sql<Record<string, string | number>>`
    select count(*) as total,
           sum(case when direccion = 'INBOUND' then 1 else 0 end) as inbound,
           sum(case when direccion = 'OUTBOUND' then 1 else 0 end) as outbound,
           sum(case when cliente_id is not null then 1 else 0 end) as con_cliente,
           sum(case when cliente_id is null then 1 else 0 end) as sin_cliente,
           sum(case when respuesta_enviada then 1 else 0 end) as respuestas_enviadas,
           sum(case when ${sql.ref('timestamp')} >= ${dayAgo} then 1 else 0 end) as ultimas_24h
    from conversaciones_whatsapp`.execute(database.kysely);
  return Object.fromEntries(Object.entries(rows[0] as object).map(([k, v]) => [k, Number(v ?? 0)]));
}

describeEachDatabase('conversation statistics', ({ fresh }) => {
  let database: Database;
  const now = new Date();
  let seq = 0;

  async function seed(count: number, createdAt: Date): Promise<void> {
    await insertMessages(
      database,
      ...Array.from({ length: count }, () => {
        const i = seq++;
        return {
          message_id: `wamid.stats-${i}`,
          from_number: i % 2 ? '584141234567' : '15550001234',
          to_number: i % 2 ? '15550001234' : '584141234567',
          body: `m${i}`,
          // Some within the last day, some older.
          timestamp: new Date(now.getTime() - (i % 5) * 9 * 3600 * 1000),
          direccion: i % 2 ? ('INBOUND' as const) : ('OUTBOUND' as const),
          cliente_id: i % 3 === 0 ? 1 : null,
          respuesta_enviada: i % 4 === 0,
          creado_en: createdAt,
        };
      }),
    );
  }

  beforeAll(async () => {
    database = await (await fresh()).open();
    await migratorFor(database).migrator.upgrade('head');
    await seedCustomer(database, { cliente: { id: 1 } });
  });
  afterAll(() => database.close());

  it('equal a direct SQL count, before any recount', async () => {
    await seed(37, now);
    const { statistics: stats } = await statistics(database.kysely, now);
    expect(stats).toEqual(await counted(database, now));
    expect(stats.total).toBe(37);
  });

  it('equal a direct SQL count after a recount of the settled rows and new rows since', async () => {
    await seed(23, new Date(now.getTime() - 2 * SETTLE_MS));
    await recountStatistics(database.kysely, now);
    const cut = await database.kysely.selectFrom('whatsapp_estadisticas').selectAll().executeTakeFirstOrThrow();
    expect(Number(cut.total)).toBeGreaterThan(0);
    await seed(11, now);
    const { statistics: stats } = await statistics(database.kysely, now);
    expect(stats).toEqual(await counted(database, now));
    expect(stats.total).toBe(71);
  });
});
