import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { expect, it } from 'vitest';
import { storeNotifications } from '../../src/conversations/inbound.repository.js';
import { readNotification } from '../../src/webhook/notification-reader.js';
import { serverWebhookPayloadSchema } from '../../src/webhook/webhook-payload.schema.js';
import { GraphStandIn } from '../helpers/graph-stand-in.js';
import { migratorFor } from '../helpers/migrations.js';
import { message, notification } from '../helpers/payloads.js';
import { describeEachDatabase } from '../helpers/test-database.js';

const LIMIT = 20;
const MESSAGES = 100;
const root = path.resolve(import.meta.dirname, '../..');

// PGlite is one process's database; the limit across processes needs PostgreSQL or MariaDB.
describeEachDatabase(
  'the outbound rate limit',
  ({ engine, fresh }) => {
    it(`holds across two worker processes (${LIMIT}/s)`, { timeout: 60_000 }, async () => {
      const target = await fresh();
      const database = await target.open();
      const graph = new GraphStandIn();
      const graphUrl = await graph.start();
      const workers: ChildProcess[] = [];
      try {
        await migratorFor(database).migrator.upgrade('head');
        const now = Math.floor(Date.now() / 1000);
        for (let i = 0; i < MESSAGES; i++) {
          const payload = notification([{ ...message.text('hola'), timestamp: String(now) }], {
            from: `58414${String(i).padStart(7, '0')}`,
          });
          await storeNotifications(database.kysely, database.support, [readNotification(serverWebhookPayloadSchema.parse(payload))], '58');
        }
        for (let i = 0; i < 2; i++) {
          workers.push(
            spawn(process.execPath, ['--import', 'tsx', path.join(root, 'src/cli/charla.ts'), 'worker'], {
              cwd: root,
              env: {
                ...process.env,
                DATABASE_URL: target.urlText,
                WHATSAPP_ACCESS_TOKEN: 'EAAG-limit',
                WHATSAPP_API_URL: graphUrl,
                WHATSAPP_PHONE_NUMBER_ID: '106540352242922',
                WHATSAPP_OUTBOUND_PER_SECOND: String(LIMIT),
                LOG_LEVEL: 'silent',
              },
              stdio: 'ignore',
            }),
          );
        }
        const end = Date.now() + 45_000;
        while (graph.received.length < MESSAGES && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
        expect(graph.received).toHaveLength(MESSAGES);

        const times = graph.received.map((r) => r.at).sort((a, b) => a - b);
        const first = times[0] as number;
        const seconds = ((times.at(-1) as number) - first) / 1000;
        // The first window's slots go at once; the rest are paced. Timing jitter allows a few percent.
        const perSecond = (MESSAGES - Math.ceil(LIMIT / 10)) / seconds;
        // The busiest sliding second, measured where Meta would: at arrival.
        const busiest = Math.max(...times.map((t, i) => times.slice(i).filter((u) => u < t + 1000).length));
        console.log(
          `outbound limit [${engine}]: ${MESSAGES} sends in ${seconds.toFixed(2)} s by 2 processes; ${perSecond.toFixed(1)}/s on average; busiest second ${busiest}`,
        );
        expect(perSecond).toBeLessThanOrEqual(LIMIT * 1.03);
        expect(busiest).toBeLessThanOrEqual(LIMIT + Math.ceil(LIMIT / 10) + 1);
      } finally {
        for (const w of workers) w.kill('SIGTERM');
        await graph.stop();
        await database.close();
      }
    });
  },
  ['postgres', 'mysql'],
);
