import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { expect, it } from 'vitest';
import { storeNotifications } from '../../src/conversations/inbound.repository.js';
import type { Database } from '../../src/db/database.js';
import { readNotification } from '../../src/webhook/notification-reader.js';
import { serverWebhookPayloadSchema } from '../../src/webhook/webhook-payload.schema.js';
import { GraphStandIn } from '../helpers/graph-stand-in.js';
import { migratorFor } from '../helpers/migrations.js';
import { message, notification } from '../helpers/payloads.js';
import { describeEachDatabase } from '../helpers/test-database.js';

const RUNS = Number(process.env.CHARLA_CHAOS_RUNS ?? 20);
const root = path.resolve(import.meta.dirname, '../..');

function startWorker(databaseUrl: string, graphUrl: string): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', path.join(root, 'src/cli/charla.ts'), 'worker'], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      WHATSAPP_ACCESS_TOKEN: 'EAAG-chaos',
      WHATSAPP_API_URL: graphUrl,
      WHATSAPP_PHONE_NUMBER_ID: '106540352242922',
      REPLY_SEND_LEASE_SECONDS: '2',
      LOG_LEVEL: 'silent',
    },
    stdio: 'ignore',
  });
}

async function seedMessages(database: Database): Promise<void> {
  const now = Math.floor(Date.now() / 1000) - 300;
  for (let customer = 0; customer < 20; customer++) {
    const payload = notification(
      Array.from({ length: 10 }, (_, i) => ({ ...message.text(`mensaje ${i} de ${customer}`), timestamp: String(now + i) })),
      { from: `58412${String(customer).padStart(7, '0')}` },
    );
    await storeNotifications(database.kysely, database.support, [readNotification(serverWebhookPayloadSchema.parse(payload))], '58');
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

async function settled(database: Database, ms = 90_000): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    const pending = await database.kysely
      .selectFrom('conversaciones_whatsapp')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('direccion', '=', 'INBOUND')
      .where((eb) => eb.or([eb('procesado', '=', false), eb('respuesta_enviada', '=', false)]))
      .executeTakeFirstOrThrow();
    if (Number(pending.n) === 0) return;
    if (Date.now() > end) {
      const stuck = await database.kysely
        .selectFrom('conversaciones_whatsapp as i')
        .leftJoin('whatsapp_envios as e', 'e.inbound_id', 'i.id')
        .select(['i.id', 'i.from_number', 'i.procesado', 'i.respuesta_id', 'i.error', 'e.estado', 'e.attempts', 'e.next_attempt_at'])
        .where('i.direccion', '=', 'INBOUND')
        .where((eb) => eb.or([eb('i.procesado', '=', false), eb('i.respuesta_enviada', '=', false)]))
        .execute();
      throw new Error(`${pending.n} messages still unanswered or unsent: ${JSON.stringify(stuck)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
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
        try {
          await migratorFor(database).migrator.upgrade('head');
          await seedMessages(database);
          const workers = [
            startWorker(target.urlText, graphUrl),
            startWorker(target.urlText, graphUrl),
            startWorker(target.urlText, graphUrl),
          ];
          // Kill once a random share of the work is done, so the kill lands mid-work.
          const killAt = 10 + Math.floor(Math.random() * 170);
          while ((await answered(database)) < killAt) await new Promise((r) => setTimeout(r, 10));
          const victim = Math.floor(Math.random() * workers.length);
          workers[victim]?.kill('SIGKILL');
          killedAfter.push(await answered(database));
          workers[victim] = startWorker(target.urlText, graphUrl);
          await settled(database);
          for (const w of workers) w.kill('SIGTERM');

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
