import { expect, it } from 'vitest';
import type { Database } from '../../src/db/database.js';
import { GraphStandIn } from '../helpers/graph-stand-in.js';
import { storeTexts } from '../helpers/messages.js';
import { migratorFor } from '../helpers/migrations.js';
import { startWorker, type RunningProcess } from '../helpers/processes.js';
import { describeEachDatabase } from '../helpers/test-database.js';

const RUNS = Number(process.env.CHARLA_CHAOS_RUNS ?? 20);

/** 20 customers, 10 messages each, written 5 minutes ago. */
async function seedMessages(database: Database): Promise<void> {
  const sentAt = Math.floor(Date.now() / 1000) - 300;
  for (let customer = 0; customer < 20; customer++) {
    const texts = Array.from({ length: 10 }, (_, i) => `mensaje ${i} de ${customer}`);
    await storeTexts(database, `58412${String(customer).padStart(7, '0')}`, texts, sentAt);
  }
}

async function answered(database: Database): Promise<number> {
  const row = await database.kysely
    .selectFrom('conversaciones_whatsapp')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('direccion', '=', 'INBOUND')
    .where('respuesta_enviada', '=', true)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Inbound messages not yet answered, or answered but not sent. */
async function pending(database: Database): Promise<number> {
  const row = await database.kysely
    .selectFrom('conversaciones_whatsapp')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('direccion', '=', 'INBOUND')
    .where((eb) => eb.or([eb('procesado', '=', false), eb('respuesta_enviada', '=', false)]))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Waits up to `ms` for every message to be answered and sent; fails listing the ones that are not. */
async function settled(database: Database, ms = 90_000): Promise<void> {
  try {
    await expect.poll(() => pending(database), { timeout: ms, interval: 100 }).toBe(0);
  } catch (error) {
    const stuck = await database.kysely
      .selectFrom('conversaciones_whatsapp as i')
      .leftJoin('whatsapp_envios as e', 'e.entrante_id', 'i.id')
      .select(['i.id', 'i.from_number', 'i.procesado', 'i.respuesta_id', 'i.error', 'e.estado', 'e.intentos', 'e.proximo_intento_en'])
      .where('i.direccion', '=', 'INBOUND')
      .where((eb) => eb.or([eb('i.procesado', '=', false), eb('i.respuesta_enviada', '=', false)]))
      .execute();
    throw new Error(`${stuck.length} messages still unanswered or unsent after ${ms} ms: ${JSON.stringify(stuck)}`, { cause: error });
  }
}

// PGlite is one process's database: three worker processes need PostgreSQL or MariaDB.
describeEachDatabase(
  'three worker processes, one killed with SIGKILL at a random moment and restarted',
  ({ engine, fresh }) => {
    it(`answers every message exactly once, in order, and sends every reply (${RUNS} runs)`, { timeout: RUNS * 60_000 }, async () => {
      const duplicatesPerRun: number[] = [];
      const killedAfter: number[] = [];
      for (let run = 0; run < RUNS; run++) {
        const target = await fresh();
        const database = await target.open();
        const graph = new GraphStandIn();
        const graphUrl = await graph.start();
        const workers: RunningProcess[] = [];
        const worker = () => startWorker(target.urlText, graphUrl, { REPLY_SEND_LEASE_SECONDS: '2' });
        try {
          await migratorFor(database).migrator.upgrade('head');
          await seedMessages(database);
          workers.push(worker(), worker(), worker());
          // Kill once a random share of the work is done, so the kill lands mid-work.
          const killAt = 10 + Math.floor(Math.random() * 170);
          await expect.poll(() => answered(database), { timeout: 60_000, interval: 10 }).toBeGreaterThanOrEqual(killAt);
          const victim = Math.floor(Math.random() * workers.length);
          workers[victim]?.child.kill('SIGKILL');
          killedAfter.push(await answered(database));
          workers[victim] = worker();
          await settled(database);
          await Promise.all(workers.map((w) => w.stop()));

          const inbound = await database.kysely
            .selectFrom('conversaciones_whatsapp')
            .select(['id', 'from_number', 'respuesta_id', 'respuesta_meta_id'])
            .where('direccion', '=', 'INBOUND')
            .orderBy('timestamp')
            .orderBy('id')
            .execute();
          const outbound = await database.kysely
            .selectFrom('conversaciones_whatsapp')
            .select(['id', 'message_id'])
            .where('direccion', '=', 'OUTBOUND')
            .execute();
          expect(inbound).toHaveLength(200);
          expect(outbound).toHaveLength(200);
          expect(new Set(inbound.map((r) => r.respuesta_id)).size).toBe(200);
          for (const number of new Set(inbound.map((r) => r.from_number))) {
            const replies = inbound.filter((r) => r.from_number === number).map((r) => r.respuesta_id as number);
            expect(replies).toEqual([...replies].sort((a, b) => a - b));
          }
          // Every reply reached the stand-in: its wamid is one the stand-in issued.
          expect(outbound.every((o) => o.message_id?.startsWith('wamid.standin-'))).toBe(true);
          duplicatesPerRun.push(graph.received.length - outbound.length);
        } finally {
          for (const w of workers) w.child.kill('SIGKILL');
          await graph.stop();
          await database.close();
        }
      }
      console.log(
        `chaos [${engine}]: ${RUNS} runs; killed after n of 200 sent: ${killedAfter.join(', ')}; replies sent twice per run: ${duplicatesPerRun.join(', ')}`,
      );
      expect(killedAfter.every((n) => n < 200)).toBe(true);
    });
  },
  ['postgres', 'mysql'],
);
