import { expect, it } from 'vitest';
import { GraphStandIn } from '../helpers/graph-stand-in.js';
import { storeTexts } from '../helpers/messages.js';
import { migratorFor } from '../helpers/migrations.js';
import { startWorker, type RunningProcess } from '../helpers/processes.js';
import { describeEachDatabase } from '../helpers/test-database.js';

const LIMIT = 20;
const MESSAGES = 100;

// PGlite is one process's database; the limit across processes needs PostgreSQL or MariaDB.
describeEachDatabase(
  'the outbound rate limit',
  ({ engine, fresh }) => {
    it(`holds across two worker processes (${LIMIT}/s)`, { timeout: 60_000 }, async () => {
      const target = await fresh();
      const database = await target.open();
      const graph = new GraphStandIn();
      const graphUrl = await graph.start();
      const workers: RunningProcess[] = [];
      try {
        await migratorFor(database).migrator.upgrade('head');
        const now = Math.floor(Date.now() / 1000);
        for (let i = 0; i < MESSAGES; i++) await storeTexts(database, `58414${String(i).padStart(7, '0')}`, ['hola'], now);
        for (let i = 0; i < 2; i++) workers.push(startWorker(target.urlText, graphUrl, { WHATSAPP_OUTBOUND_PER_SECOND: String(LIMIT) }));
        await expect.poll(() => graph.received.length, { timeout: 45_000, interval: 50 }).toBeGreaterThanOrEqual(MESSAGES);
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
        await Promise.all(workers.map((w) => w.stop()));
        await graph.stop();
        await database.close();
      }
    });
  },
  ['postgres', 'mysql'],
);
