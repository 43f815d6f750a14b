import { expect, it } from 'vitest';
import type { Database } from '../../src/db/database.js';
import { BotWorker } from '../../src/worker/bot-worker.js';
import { cuota, prestamo, seedCustomer } from '../helpers/customers.js';
import { storeTexts } from '../helpers/messages.js';
import { migratorFor } from '../helpers/migrations.js';
import { describeEachDatabase } from '../helpers/test-database.js';

const presentation = { locale: 'es-VE', currency: 'USD', howToPay: 'Transferencia a la cuenta 0102-0000-00-0000000000' };
const worker = (database: Database) => new BotWorker(database, { presentation, today: () => '2026-11-25' });

/** Ana (id 7, 0412-1234567): one loan of 600.00, instalment 1 overdue, instalment 2 pending. */
async function seed(database: Database): Promise<void> {
  await migratorFor(database).migrator.upgrade('head');
  await seedCustomer(database, {
    prestamos: [
      prestamo({
        id: 70,
        total_financiamiento: '600.00',
        numero_cuotas: 2,
        cuotas: [cuota(1, '2026-11-01', '300.00', '0.00', 'ATRASADO'), cuota(2, '2026-12-01', '300.00', '0.00', 'PENDIENTE')],
      }),
    ],
  });
}

/** Messages from `from`, sent one second apart at a fixed time, stored as the webhook does. */
const receive = (database: Database, from: string, ...texts: string[]): Promise<string[]> => storeTexts(database, from, texts, 1732500000);

async function repliesTo(database: Database, ids: string[]) {
  return database.kysely
    .selectFrom('conversaciones_whatsapp as i')
    .leftJoin('conversaciones_whatsapp as o', 'o.id', 'i.respuesta_id')
    .select([
      'i.message_id',
      'i.procesado',
      'i.respuesta_bot',
      'i.cliente_id',
      'o.id as reply_row',
      'o.body as reply_body',
      'o.direccion as reply_direccion',
      'o.to_number',
    ])
    .where('i.message_id', 'in', ids)
    .orderBy('i.timestamp')
    .execute();
}

describeEachDatabase('the bot worker', ({ fresh }) => {
  it('answers a known customer from the CRM, in one reply row per message, with an outbox entry', async () => {
    const database = await (await fresh()).open();
    try {
      await seed(database);
      const ids = await receive(database, '584121234567', 'hola', 'cuanto debo');
      expect(await worker(database).runOnce()).toBe(2);
      const rows = await repliesTo(database, ids);
      expect(rows[0]).toMatchObject({
        procesado: true,
        cliente_id: 7,
        reply_direccion: 'OUTBOUND',
        to_number: '584121234567',
      });
      expect(rows[0]?.reply_body).toMatch(/^¡Hola, Ana!/);
      expect(rows[1]?.reply_body).toMatch(/Tu saldo pendiente es de \*.*600,00\*, de los cuales .*300,00 están vencidos/);
      expect(rows[1]?.respuesta_bot).toBe(rows[1]?.reply_body);
      const outbox = await database.kysely.selectFrom('whatsapp_envios').selectAll().orderBy('conversacion_id').execute();
      expect(outbox.map((o) => [o.conversacion_id, o.estado, o.wa_number])).toEqual(
        rows.map((r) => [r.reply_row, 'pendiente', '584121234567']),
      );
      expect(await worker(database).runOnce()).toBe(0);
    } finally {
      await database.close();
    }
  });

  it('verifies an unknown number before any figure, remembering the step per number', async () => {
    const database = await (await fresh()).open();
    try {
      await seed(database);
      const w = worker(database);
      const asked = await receive(database, '584169990000', 'cuanto debo');
      await w.runOnce();
      const cedula = await receive(database, '584169990000', 'V-12345678');
      await w.runOnce();
      const date = await receive(database, '584169990000', '04/03/1985');
      await w.runOnce();
      const balance = await receive(database, '584169990000', 'cuanto debo');
      await w.runOnce();
      const bodies = (await repliesTo(database, [...asked, ...cedula, ...date, ...balance])).map((r) => r.reply_body);
      expect(bodies[0]).toMatch(/cédula/);
      expect(bodies[1]).toMatch(/fecha de nacimiento/);
      expect(bodies[2]).toMatch(/Ya verifiqué tu identidad/);
      expect(bodies[3]).toMatch(/600,00/);
      expect(bodies.slice(0, 2).join()).not.toMatch(/600|300/);
      const conversation = await database.kysely
        .selectFrom('whatsapp_conversaciones')
        .selectAll()
        .where('wa_number', '=', '584169990000')
        .executeTakeFirstOrThrow();
      expect(conversation).toMatchObject({ cliente_id: 7, modo: 'bot', paso_verificacion: null });
    } finally {
      await database.close();
    }
  });

  it('with three workers side by side: one reply per message, each customer answered in order', async () => {
    const target = await fresh({ onDisk: true });
    const setup = await target.open();
    await seed(setup);
    const customers = Array.from({ length: 10 }, (_, i) => `58414${String(i).padStart(7, '0')}`);
    const sent: string[] = [];
    for (let round = 0; round < 5; round++) {
      for (const number of customers) sent.push(...(await receive(setup, number, `hola ${round}`, `cuanto debo ${round}`)));
    }
    if (target.engine === 'pglite') {
      // One process holds PGlite: three workers share its single connection.
      await Promise.all([worker(setup).runOnce(), worker(setup).runOnce(), worker(setup).runOnce()]);
    } else {
      const others = [await target.open(), await target.open()];
      await Promise.all([worker(setup).runOnce(), ...others.map((d) => worker(d).runOnce())]);
      await Promise.all(others.map((d) => d.close()));
    }
    await worker(setup).runOnce();
    const rows = await setup.kysely
      .selectFrom('conversaciones_whatsapp as i')
      .select(['i.from_number', 'i.timestamp', 'i.id', 'i.respuesta_id'])
      .where('i.message_id', 'in', sent)
      .orderBy('i.timestamp')
      .orderBy('i.id')
      .execute();
    expect(rows).toHaveLength(100);
    expect(rows.every((r) => r.respuesta_id !== null)).toBe(true);
    const outbound = await setup.kysely
      .selectFrom('conversaciones_whatsapp')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('direccion', '=', 'OUTBOUND')
      .executeTakeFirstOrThrow();
    expect(Number(outbound.n)).toBe(100);
    for (const number of customers) {
      const replies = rows.filter((r) => r.from_number === number).map((r) => r.respuesta_id as number);
      expect(replies).toEqual([...replies].sort((a, b) => a - b));
    }
    await setup.close();
  });
});
