import { expect, it, vi } from 'vitest';
import { describeEachDatabase } from '../helpers/test-database.js';
import { messageIds, postSigned } from '../helpers/messages.js';
import { migratorFor } from '../helpers/migrations.js';
import { message, notification } from '../helpers/payloads.js';
import { startServer } from '../helpers/processes.js';
import { APP_SECRET } from '../helpers/webhook.js';

describeEachDatabase('a server killed with SIGKILL under load', ({ fresh }) => {
  it('has every delivery it acknowledged in the database afterwards', async () => {
    const target = await fresh({ onDisk: true });
    const setup = await target.open();
    await migratorFor(setup).migrator.upgrade('head');
    await setup.close();

    const server = await startServer('serve', { DATABASE_URL: target.urlText, WHATSAPP_APP_SECRET: APP_SECRET });
    const acknowledged: string[] = [];
    let sent = 0;
    const send = async (): Promise<void> => {
      const payload = notification([message.text('¿cuánto debo?')], { from: `58412${String(sent++).padStart(7, '0')}` });
      const response = await postSigned(server.url, payload);
      if (response.status === 200) acknowledged.push(...messageIds(payload));
    };
    const workers = Array.from({ length: 16 }, async () => {
      for (;;) await send();
    });
    // Kill it once it has acknowledged a few hundred deliveries, with more in flight.
    try {
      await vi.waitFor(() => expect(acknowledged.length).toBeGreaterThanOrEqual(300), { timeout: 50_000, interval: 20 });
    } finally {
      server.child.kill('SIGKILL');
      await Promise.allSettled(workers);
    }

    const database = await target.open();
    try {
      const found = new Set<string>();
      for (let i = 0; i < acknowledged.length; i += 500) {
        const rows = await database.kysely
          .selectFrom('conversaciones_whatsapp')
          .select('message_id')
          .where('message_id', 'in', acknowledged.slice(i, i + 500))
          .execute();
        for (const row of rows) if (row.message_id) found.add(row.message_id);
      }
      expect(acknowledged.length).toBeGreaterThanOrEqual(300);
      expect(acknowledged.filter((id) => !found.has(id))).toEqual([]);
    } finally {
      await database.close();
    }
  });
});
