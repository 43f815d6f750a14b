import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.js';
import { GRAPH_API_VERSION } from '../../src/config/config.js';
import { GraphClient } from '../../src/graph/graph-client.js';
import { BotWorker } from '../../src/worker/bot-worker.js';
import { ReplySender } from '../../src/worker/reply-sender.js';
import { seedCustomer } from '../helpers/customers.js';
import { graphError, GraphStandIn } from '../helpers/graph-stand-in.js';
import { storeTexts } from '../helpers/messages.js';
import { migratorFor } from '../helpers/migrations.js';
import { describeEachDatabase } from '../helpers/test-database.js';

const presentation = { locale: 'es-VE', currency: 'USD', howToPay: 'Transferencia' };
const ANA = '584121234567';

describeEachDatabase('sending replies through the Graph API', ({ fresh }) => {
  let database: Database;
  let graph: GraphStandIn;
  let graphUrl: string;

  beforeEach(async () => {
    database = await (await fresh()).open();
    await migratorFor(database).migrator.upgrade('head');
    await seedCustomer(database);
    graph = new GraphStandIn();
    graphUrl = await graph.start();
  });
  afterEach(async () => {
    await graph.stop();
    await database.close();
  });

  const client = (testRecipient?: string) =>
    new GraphClient({
      apiUrl: graphUrl,
      version: GRAPH_API_VERSION,
      phoneNumberId: '106540352242922',
      accessToken: 't',
      testRecipient,
      sleep: async () => {},
    });

  /** Stores messages from Ana written `ageSeconds` ago, then lets the worker answer them. */
  async function conversation(texts: string[], ageSeconds = 10): Promise<string[]> {
    const ids = await storeTexts(database, ANA, texts, Math.floor(Date.now() / 1000) - ageSeconds);
    await new BotWorker(database, { presentation, today: () => '2026-11-25' }).runOnce();
    return ids;
  }

  const rowsOf = (ids: string[]) =>
    database.kysely
      .selectFrom('conversaciones_whatsapp as i')
      .innerJoin('conversaciones_whatsapp as o', 'o.id', 'i.respuesta_id')
      .select([
        'i.respuesta_enviada',
        'i.respuesta_meta_id',
        'i.error',
        'o.message_id as reply_wamid',
        'o.respuesta_enviada as reply_sent',
        'o.error as reply_error',
        'o.to_number as reply_to',
      ])
      .where('i.message_id', 'in', ids)
      .orderBy('i.timestamp')
      .execute();

  it('delivers the greeting and records respuesta_enviada and respuesta_meta_id on both rows', async () => {
    const ids = await conversation(['hola']);
    expect(await new ReplySender(database, { graph: client() }).runOnce()).toBe(1);
    expect(graph.received).toHaveLength(1);
    expect(graph.received[0]?.body).toMatchObject({ to: ANA, type: 'interactive' });
    expect(JSON.stringify(graph.received[0]?.body)).toContain('¡Hola, Ana!');
    expect(await rowsOf(ids)).toEqual([
      {
        respuesta_enviada: true,
        respuesta_meta_id: 'wamid.standin-1',
        error: null,
        reply_wamid: 'wamid.standin-1',
        reply_sent: true,
        reply_error: null,
        reply_to: ANA,
      },
    ]);
    expect(await new ReplySender(database, { graph: client() }).runOnce()).toBe(0);
  });

  it('sends once after a 500', async () => {
    graph.respond(graphError(500, 1, 'Unknown error'));
    const ids = await conversation(['hola']);
    await new ReplySender(database, { graph: client() }).runOnce();
    expect(graph.received).toHaveLength(2);
    expect((await rowsOf(ids))[0]?.respuesta_meta_id).toBe('wamid.standin-1');
  });

  it('records 131047 in error on both rows and does not retry it', async () => {
    graph.respond(graphError(400, 131047, 'Re-engagement message'));
    const ids = await conversation(['hola']);
    const sender = new ReplySender(database, { graph: client() });
    await sender.runOnce();
    await sender.runOnce();
    expect(graph.received).toHaveLength(1);
    const [row] = await rowsOf(ids);
    expect(row?.error).toBe('131047 Re-engagement message: Re-engagement message');
    expect(row?.reply_error).toBe(row?.error);
    expect(row?.respuesta_enviada).toBe(false);
  });

  it('refuses free text outside the 24-hour window before calling Meta', async () => {
    const ids = await conversation(['hola'], 25 * 3600);
    await new ReplySender(database, { graph: client() }).runOnce();
    expect(graph.received).toHaveLength(0);
    expect((await rowsOf(ids))[0]?.error).toMatch(/^Fuera de la ventana de 24 horas/);
  });

  it('keeps a customer’s replies in order: a later one waits while an earlier one is spaced after 131056', async () => {
    graph.respond(graphError(400, 131056, 'Pair rate limit hit'));
    const ids = await conversation(['hola', 'cuanto debo']);
    let clock = Date.now();
    const sender = new ReplySender(database, { graph: client(), now: () => new Date(clock) });
    await sender.runOnce();
    expect(graph.received).toHaveLength(1);
    clock += 3_000;
    expect(await sender.runOnce()).toBe(0);
    clock += 4_000;
    await sender.runOnce();
    await sender.runOnce();
    const bodies = graph.received.map((r) => JSON.stringify(r.body));
    expect(bodies).toHaveLength(3);
    expect(bodies[1]).toContain('¡Hola, Ana!');
    expect(bodies[2]).toContain('saldo');
    expect((await rowsOf(ids)).map((r) => r.respuesta_meta_id)).toEqual(['wamid.standin-1', 'wamid.standin-2']);
  });

  it('in test mode sends to the test phone, and the reply row says where it went', async () => {
    const ids = await conversation(['hola']);
    await new ReplySender(database, { graph: client('584249990000') }).runOnce();
    expect(graph.received[0]?.body.to).toBe('584249990000');
    expect((await rowsOf(ids))[0]?.reply_to).toBe('584249990000');
  });
});
