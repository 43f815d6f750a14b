import { expect, it } from 'vitest';
import type { CustomerPanel } from '../../src/api/customers.schemas.js';
import { createAgent } from '../../src/auth/agents.repository.js';
import { insertSession } from '../../src/auth/auth.repository.js';
import { newSecret, SESSION_PREFIX } from '../../src/auth/secret-token.js';
import { syncCustomerPhones } from '../../src/customers/customer-phone.repository.js';
import type { Database } from '../../src/db/database.js';
import type { ErrorBody } from '../../src/http/error-handler.js';
import { BotWorker } from '../../src/worker/bot-worker.js';
import { bearer } from '../helpers/auth.js';
import { cuota, prestamo, seedCustomer } from '../helpers/customers.js';
import { storeTexts } from '../helpers/messages.js';
import { describeEachDatabase } from '../helpers/test-database.js';
import { useMigratedApp } from '../helpers/webhook.js';

const ANA = '584121234567';
const LUIS = '584241112233';
const PEDRO = '584145556677';
const NEVER_WROTE = '584267776655';
const presentation = { locale: 'es-VE', currency: 'USD', howToPay: 'Transferencia' };

/** Ana (id 7, 0412-1234567, no loans) and José Núñez (id 8, another number): one loan with 250.00 overdue. */
async function seed(database: Database): Promise<void> {
  await seedCustomer(database);
  await seedCustomer(database, {
    cliente: { id: 8, nombres: 'José Núñez', cedula: 'E-8765432', telefono: '0424-7654321', fecha_nacimiento: '1979-06-01' },
    prestamos: [
      prestamo({
        id: 80,
        total_financiamiento: '500.00',
        numero_cuotas: 2,
        cuotas: [cuota(1, '2020-01-01', '250.00', '0.00', 'ATRASADO')],
      }),
    ],
  });
}

describeEachDatabase('linking a number to a customer', ({ fresh }) => {
  const ctx = useMigratedApp(fresh, seed);
  const worker = () => new BotWorker(ctx.database(), { presentation, today: () => '2026-11-25' });
  const conversation = (number: string) =>
    ctx.database().kysely.selectFrom('whatsapp_conversaciones').selectAll().where('wa_number', '=', number).executeTakeFirstOrThrow();
  const messages = (number: string) =>
    ctx
      .database()
      .kysely.selectFrom('conversaciones_whatsapp')
      .select(['direccion', 'body', 'cliente_id'])
      .where((eb) => eb.or([eb('from_number', '=', number), eb('to_number', '=', number)]))
      .orderBy('id')
      .execute();
  const link = (number: string, body: unknown, headers: Record<string, string>) =>
    ctx
      .app()
      .inject({ method: 'POST', url: `/api/v1/conversaciones/${encodeURIComponent(number)}/vincular`, headers, payload: body as object });

  async function agentSession(email: string): Promise<{ agentId: number; headers: Record<string, string> }> {
    const database = ctx.database();
    const agentId = await createAgent(database.kysely, database.support, {
      email,
      nombre: 'Luisa',
      password: 'una clave larga',
      rol: 'agente',
    });
    const token = newSecret(SESSION_PREFIX);
    await insertSession(database.kysely, token, agentId, new Date(Date.now() + 3600_000));
    return { agentId, headers: { authorization: `Bearer ${token}` } };
  }

  it('identifies an unknown number from then on, the bot included: verification dropped, the link recorded with the agent', async () => {
    const database = ctx.database();
    await storeTexts(database, LUIS, ['hola', 'V-99999999']);
    await worker().runOnce();
    expect(await conversation(LUIS)).toMatchObject({ cliente_id: null, paso_verificacion: 'cedula', intentos_fallidos: 1 });

    const { agentId, headers } = await agentSession('luisa@example.com');
    const before = Date.now();
    const response = await link('+58 424-111.22.33', { cliente_id: 8 }, headers);
    expect(response.statusCode, response.body).toBe(200);
    const panel = response.json<CustomerPanel>();
    expect(panel.cliente).toMatchObject({ id: 8, nombres: 'José Núñez' });
    expect(panel.saldo_total).toBe(250);
    expect(panel.vinculo).toEqual({
      cliente_id: 8,
      cliente_anterior_id: null,
      agente_id: agentId,
      token_id: null,
      vinculado_en: expect.any(String) as unknown,
    });
    expect(Date.parse(panel.vinculo?.vinculado_en as string)).toBeGreaterThanOrEqual(before - 1000);

    // The conversation: José's, verification dropped, linked.
    const linked = await conversation(LUIS);
    expect(linked).toMatchObject({ cliente_id: 8, paso_verificacion: null, cliente_candidato_id: null, intentos_fallidos: 0, modo: 'bot' });
    expect(linked.vinculado_en).toBeInstanceOf(Date);
    // Recorded with the agent and the time.
    const recorded = await database.kysely.selectFrom('whatsapp_vinculos').selectAll().where('wa_number', '=', LUIS).execute();
    expect(recorded).toEqual([
      {
        id: expect.any(Number) as unknown,
        wa_number: LUIS,
        cliente_id: 8,
        cliente_anterior_id: null,
        agente_id: agentId,
        token_id: null,
        creado_en: expect.any(Date) as unknown,
      },
    ]);
    // The thread so far moves to José, both directions.
    expect((await messages(LUIS)).map((m) => [m.direccion, m.cliente_id])).toEqual([
      ['INBOUND', 8],
      ['INBOUND', 8],
      ['OUTBOUND', 8],
      ['OUTBOUND', 8],
    ]);
    // The inbox is told.
    const events = await database.kysely.selectFrom('whatsapp_eventos').select(['tipo', 'datos']).where('wa_number', '=', LUIS).execute();
    expect(events.map((e) => [e.tipo, JSON.parse(e.datos ?? '{}') as unknown])).toContainEqual([
      'conversacion',
      { cambio: 'vinculada', cliente_id: 8 },
    ]);

    // Luis writes again: the message is filed under José and the bot answers with José's figures.
    await storeTexts(database, LUIS, ['cuanto debo']);
    expect((await messages(LUIS)).at(-1)).toMatchObject({ direccion: 'INBOUND', cliente_id: 8 });
    await worker().runOnce();
    const reply = (await messages(LUIS)).at(-1);
    expect(reply).toMatchObject({ direccion: 'OUTBOUND', cliente_id: 8 });
    expect(reply?.body).toContain('saldo pendiente');
    expect(reply?.body).toContain('250');
    // And the original API's lookup by number says José.
    const lookup = await ctx.app().inject({ method: 'GET', url: `/api/v1/conversaciones-whatsapp/buscar-cliente/${LUIS}`, headers });
    expect(lookup.json<{ cliente: { id: number } }>().cliente.id).toBe(8);
  });

  it("outranks the phone index: Ana's number linked to José stays José's, also after the index is rebuilt", async () => {
    const database = ctx.database();
    await storeTexts(database, ANA, ['hola']);
    await worker().runOnce();
    expect((await conversation(ANA)).cliente_id).toBe(7);

    const token = await bearer(database);
    const response = await link(ANA, { cliente_id: 8 }, token);
    expect(response.statusCode, response.body).toBe(200);
    // An API token did it: no agent, the token recorded, Ana as the customer before.
    expect(response.json<CustomerPanel>().vinculo).toMatchObject({
      cliente_id: 8,
      cliente_anterior_id: 7,
      agente_id: null,
      token_id: expect.any(Number) as unknown,
    });

    await syncCustomerPhones(database.kysely, '58');
    await storeTexts(database, ANA, ['saldo']);
    expect((await messages(ANA)).at(-1)).toMatchObject({ direccion: 'INBOUND', cliente_id: 8 });
    await worker().runOnce();
    const reply = (await messages(ANA)).at(-1);
    expect(reply?.body).toContain('250');
    expect((await messages(ANA)).every((m) => m.cliente_id === 8)).toBe(true);
  });

  it('refuses an unknown customer (422, nothing changed), a bad cliente_id (400), a number without conversation (404), no credentials (401)', async () => {
    const database = ctx.database();
    await storeTexts(database, PEDRO, ['hola']);
    await worker().runOnce();
    const token = await bearer(database);

    const unknown = await link(PEDRO, { cliente_id: 999 }, token);
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json<ErrorBody>().error.code).toBe('CUSTOMER_UNKNOWN');
    expect(await conversation(PEDRO)).toMatchObject({ cliente_id: null, vinculado_en: null, paso_verificacion: 'cedula' });
    expect(await database.kysely.selectFrom('whatsapp_vinculos').select('id').where('wa_number', '=', PEDRO).execute()).toEqual([]);

    for (const body of [
      { cliente_id: 'abc' },
      { cliente_id: '8' },
      { cliente_id: 0 },
      { cliente_id: -3 },
      { cliente_id: 1.5 },
      { cliente_id: 2 ** 31 },
      {},
    ]) {
      const bad = await link(PEDRO, body, token);
      expect(bad.statusCode, JSON.stringify(body)).toBe(400);
      expect(bad.json<ErrorBody>().error.message).toContain('cliente_id');
    }
    expect((await link(NEVER_WROTE, { cliente_id: 8 }, token)).statusCode).toBe(404);
    expect((await link('sin número', { cliente_id: 8 }, token)).statusCode).toBe(400);
    expect((await link(PEDRO, { cliente_id: 8 }, {})).statusCode).toBe(401);
    expect((await conversation(PEDRO)).cliente_id).toBeNull();
  });
});
