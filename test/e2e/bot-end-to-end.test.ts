import { afterEach, beforeEach, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../src/db/database.js';
import { buildApp } from '../../src/http/app.js';
import { startWorkers, type WorkerRuntime } from '../../src/runtime/workers.js';
import { cuota, prestamo, seedCustomer } from '../helpers/customers.js';
import { GraphStandIn, type ReceivedRequest } from '../helpers/graph-stand-in.js';
import { messageIds, postSigned, textsFrom } from '../helpers/messages.js';
import { migratorFor } from '../helpers/migrations.js';
import { describeEachDatabase } from '../helpers/test-database.js';
import { testConfig, WEBHOOK } from '../helpers/webhook.js';

const ANA = '584121234567';
const silent = { info: () => {}, warn: () => {}, error: () => {} };

/** How long the product has to do what a step waits for: 8 s, looking every 25 ms. */
const PATIENCE = { timeout: 8_000, interval: 25 };

describeEachDatabase('the whole product, through the real webhook', ({ fresh }) => {
  let database: Database;
  let app: FastifyInstance;
  let baseUrl: string;
  let workers: WorkerRuntime | undefined;
  let graph: GraphStandIn | undefined;

  beforeEach(async () => {
    database = await (await fresh()).open();
    await migratorFor(database).migrator.upgrade('head');
    // Ana (+58 412 1234567): a loan of 900.00 in 3 instalments, the first paid, the second partly.
    await seedCustomer(database, {
      cliente: { telefono: '+58 412 1234567' },
      prestamos: [
        prestamo({
          id: 70,
          total_financiamiento: '900.00',
          numero_cuotas: 3,
          cuotas: [
            cuota(1, '2020-01-01', '300.00', '300.00', 'PAGADO'),
            cuota(2, '2099-01-15', '300.00', '120.50', 'PARCIAL'),
            cuota(3, '2099-02-15', '300.00', '0.00', 'PENDIENTE'),
          ],
        }),
      ],
    });
  });
  afterEach(async () => {
    await workers?.stop();
    await app?.close();
    await graph?.stop();
    await database.close();
  });

  async function startProduct(env: Record<string, string>): Promise<void> {
    const config = testConfig(env);
    app = await buildApp({ config, database, logger: false });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    workers = await startWorkers(config, database, silent, `${baseUrl}${WEBHOOK}`, { statusDelaysMs: [20, 60, 120] });
  }

  async function customerWrites(text: string, from = ANA): Promise<string> {
    const payload = textsFrom(from, [text]);
    expect((await postSigned(baseUrl, payload)).status).toBe(200);
    return messageIds(payload)[0] as string;
  }

  /** The `n`-th request (from 0) the Graph API stand-in received, once it has come. */
  async function sentToGraph(n: number): Promise<ReceivedRequest> {
    await expect.poll(() => graph?.received.length ?? 0, PATIENCE).toBeGreaterThan(n);
    return graph?.received[n] as ReceivedRequest;
  }

  it('greets a known customer by first name and answers with the figures the database holds', async () => {
    graph = new GraphStandIn();
    const graphUrl = await graph.start();
    await startProduct({ WHATSAPP_ACCESS_TOKEN: 'EAAG-test', WHATSAPP_API_URL: graphUrl, WHATSAPP_PHONE_NUMBER_ID: '106540352242922' });

    await customerWrites('hola');
    const greeting = await sentToGraph(0);
    expect(greeting.body.to).toBe(ANA);
    expect(JSON.stringify(greeting.body)).toContain('¡Hola, Ana!');

    await customerWrites('cuanto debo');
    const balance = await sentToGraph(1);
    // 179,50 left of #2 + 300,00 of #3, straight from the cuotas rows.
    const cuotas = await database.kysely.selectFrom('cuotas').select(['monto_cuota', 'total_pagado', 'estado']).execute();
    const pending = cuotas.filter((c) => c.estado !== 'PAGADO').reduce((sum, c) => sum + Number(c.monto_cuota) - Number(c.total_pagado), 0);
    expect(pending).toBeCloseTo(479.5);
    expect(JSON.stringify(balance.body)).toMatch(/479,50/);

    await customerWrites('¿cuándo es mi próxima cuota?');
    const next = await sentToGraph(2);
    expect(JSON.stringify(next.body)).toMatch(/N° 2\*, vence el \*15 de enero de 2099\* por \*.*179,50/);
  });

  it('works without a Meta account: the sandbox answers and posts statuses back through the webhook', async () => {
    await startProduct({});
    const id = await customerWrites('hola');
    const replyWamid = async () =>
      (
        await database.kysely
          .selectFrom('conversaciones_whatsapp')
          .select('respuesta_meta_id')
          .where('message_id', '=', id)
          .executeTakeFirst()
      )?.respuesta_meta_id;
    // Sent once the reply's Meta id is recorded.
    await expect.poll(replyWamid, PATIENCE).toMatch(/^wamid\.sandbox-/);
    const wamid = (await replyWamid()) as string;
    expect(workers?.sandbox?.sent[0]?.to).toBe(ANA);
    // The sandbox's statuses come back through the webhook, up to read.
    const deliveryStatus = async () =>
      (await database.kysely.selectFrom('whatsapp_mensajes_detalle').select('status').where('message_id', '=', wamid).executeTakeFirst())
        ?.status;
    await expect.poll(deliveryStatus, PATIENCE).toBe('read');
  });
});
