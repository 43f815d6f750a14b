import { afterEach, beforeEach, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { syncCustomerPhones } from '../../src/customers/customer-phone.repository.js';
import type { Database } from '../../src/db/database.js';
import { buildApp } from '../../src/http/app.js';
import { startWorkers, type WorkerRuntime } from '../../src/worker/worker-runtime.js';
import { sign } from '../../src/webhook/signature.js';
import { GraphStandIn } from '../helpers/graph-stand-in.js';
import { migratorFor } from '../helpers/migrations.js';
import { message, notification } from '../helpers/payloads.js';
import { describeEachDatabase } from '../helpers/test-database.js';
import { APP_SECRET, testConfig, WEBHOOK } from '../helpers/webhook.js';

const ANA = '584121234567';
const silent = { info: () => {}, warn: () => {}, error: () => {} };

async function until<T>(probe: () => Promise<T | undefined>, what: string, ms = 8000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describeEachDatabase('the whole product, through the real webhook', ({ fresh }) => {
  let database: Database;
  let app: FastifyInstance;
  let webhookUrl: string;
  let workers: WorkerRuntime | undefined;
  let graph: GraphStandIn | undefined;

  beforeEach(async () => {
    database = await (await fresh()).open();
    await migratorFor(database).migrator.upgrade('head');
    const db = database.kysely;
    await db
      .insertInto('clientes')
      .values({
        id: 7,
        cedula: 'V-12345678',
        nombres: 'Ana María Pérez',
        telefono: '+58 412 1234567',
        email: 'ana@example.com',
        direccion: 'Caracas',
        fecha_nacimiento: '1985-03-04',
        ocupacion: 'Docente',
      })
      .execute();
    await db
      .insertInto('prestamos')
      .values({ id: 70, cliente_id: 7, producto: 'Crédito personal', estado: 'APROBADO', total_financiamiento: '900.00', numero_cuotas: 3 })
      .execute();
    await db
      .insertInto('cuotas')
      .values([
        {
          prestamo_id: 70,
          numero_cuota: 1,
          fecha_vencimiento: '2020-01-01',
          monto_cuota: '300.00',
          total_pagado: '300.00',
          estado: 'PAGADO',
        },
        {
          prestamo_id: 70,
          numero_cuota: 2,
          fecha_vencimiento: '2099-01-15',
          monto_cuota: '300.00',
          total_pagado: '120.50',
          estado: 'PARCIAL',
        },
        {
          prestamo_id: 70,
          numero_cuota: 3,
          fecha_vencimiento: '2099-02-15',
          monto_cuota: '300.00',
          total_pagado: '0.00',
          estado: 'PENDIENTE',
        },
      ])
      .execute();
    await syncCustomerPhones(db, '58');
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
    webhookUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}${WEBHOOK}`;
    workers = await startWorkers(config, database, silent, webhookUrl, { statusDelaysMs: [20, 60, 120] });
  }

  async function customerWrites(text: string, from = ANA): Promise<string> {
    const payload = notification([{ ...message.text(text), timestamp: String(Math.floor(Date.now() / 1000)) }], { from });
    const body = JSON.stringify(payload);
    const response = await fetch(webhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': sign(body, APP_SECRET) },
      body,
    });
    expect(response.status).toBe(200);
    return payload.entry[0]?.changes[0]?.value.messages?.[0]?.id ?? '';
  }

  it('greets a known customer by first name and answers with the figures the database holds', async () => {
    graph = new GraphStandIn();
    const graphUrl = await graph.start();
    await startProduct({ WHATSAPP_ACCESS_TOKEN: 'EAAG-test', WHATSAPP_API_URL: graphUrl, WHATSAPP_PHONE_NUMBER_ID: '106540352242922' });

    await customerWrites('hola');
    const greeting = await until(async () => graph?.received[0], 'the greeting');
    expect(greeting.body.to).toBe(ANA);
    expect(JSON.stringify(greeting.body)).toContain('¡Hola, Ana!');

    await customerWrites('cuanto debo');
    const balance = await until(async () => graph?.received[1], 'the balance');
    // 179,50 left of #2 + 300,00 of #3, straight from the cuotas rows.
    const cuotas = await database.kysely.selectFrom('cuotas').select(['monto_cuota', 'total_pagado', 'estado']).execute();
    const pending = cuotas.filter((c) => c.estado !== 'PAGADO').reduce((sum, c) => sum + Number(c.monto_cuota) - Number(c.total_pagado), 0);
    expect(pending).toBeCloseTo(479.5);
    expect(JSON.stringify(balance.body)).toMatch(/479,50/);

    await customerWrites('¿cuándo es mi próxima cuota?');
    const next = await until(async () => graph?.received[2], 'the next instalment');
    expect(JSON.stringify(next.body)).toMatch(/N° 2\*, vence el \*15 de enero de 2099\* por \*.*179,50/);
  });

  it('works without a Meta account: the sandbox answers and posts statuses back through the webhook', async () => {
    await startProduct({});
    const id = await customerWrites('hola');
    const wamid = await until(async () => {
      const row = await database.kysely
        .selectFrom('conversaciones_whatsapp')
        .select('respuesta_meta_id')
        .where('message_id', '=', id)
        .executeTakeFirst();
      return row?.respuesta_meta_id ?? undefined;
    }, 'the reply to be sent');
    expect(wamid).toMatch(/^wamid\.sandbox-/);
    expect(workers?.sandbox?.sent[0]?.to).toBe(ANA);
    const status = await until(async () => {
      const detail = await database.kysely
        .selectFrom('whatsapp_mensajes_detalle')
        .select('delivery_status')
        .where('message_id', '=', wamid)
        .executeTakeFirst();
      return detail?.delivery_status === 'read' ? detail.delivery_status : undefined;
    }, 'the read status');
    expect(status).toBe('read');
  });
});
