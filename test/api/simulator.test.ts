import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { SimulatedMessage, SimulatorChat, SimulatorCustomers } from '../../src/api/simulator.schemas.js';
import type { Database } from '../../src/db/database.js';
import { demoCustomers } from '../../src/demo/demo-data.js';
import { buildApp } from '../../src/http/app.js';
import { IngestService } from '../../src/webhook/ingest.service.js';
import { selfDelivery } from '../../src/webhook/self-delivery.js';
import type { Notification } from '../../src/conversations/messages.js';
import { BotWorker } from '../../src/worker/bot-worker.js';
import { claimDue, markSent } from '../../src/worker/outbox.repository.js';
import { bearer } from '../helpers/auth.js';
import { seedCustomer } from '../helpers/customers.js';
import { describeEachDatabase } from '../helpers/test-database.js';
import { APP_SECRET, testApp, testConfig, useMigratedApp, WEBHOOK } from '../helpers/webhook.js';

const errorOf = (response: { json: <T>() => T }) => response.json<{ error: { code: string; message: string } }>().error;
const presentation = { locale: 'es-VE', currency: 'USD', howToPay: 'Transferencia' };
/** Ana (the seeded customer) has the first demo customer's CRM phone, so the demo list finds her. */
const DEMO = demoCustomers()[0] as ReturnType<typeof demoCustomers>[number];
const ANA = DEMO.whatsapp;
const STRANGER = '584149998877';

async function answer(database: Database): Promise<void> {
  const worker = new BotWorker(database, { presentation, today: () => '2026-11-25' });
  while ((await worker.runOnce()) > 0);
}

/** What the sender does with a reply Meta accepted: the OUTBOUND row gets its wamid. Returns the wamids by number. */
async function sendReplies(database: Database): Promise<string[]> {
  const due = await claimDue(database.kysely, database.support, 100, 60_000);
  const sent = due.map((entry, i) => ({ entry, wamid: `wamid.bot-${Date.now()}-${i}`, recipient: entry.wa_number }));
  await markSent(database.kysely, database.support, sent);
  return sent.map((s) => s.wamid);
}

describeEachDatabase('the customer simulator (sandbox mode)', ({ fresh }) => {
  const ctx = useMigratedApp(fresh, async (database) => {
    await seedCustomer(database, { cliente: { telefono: DEMO.telefono } });
  });
  let headers: { authorization: string };
  beforeAll(async () => {
    headers = await bearer(ctx.database());
  });

  const simulate = (body: SimulatedMessage | Record<string, unknown>, app: FastifyInstance = ctx.app()) =>
    app.inject({ method: 'POST', url: '/api/v1/simulador/mensajes', headers, payload: body });
  const sent = async (body: SimulatedMessage): Promise<string> => {
    const response = await simulate(body);
    expect(response.statusCode, response.body).toBe(202);
    return response.json<{ message_id: string }>().message_id;
  };
  const chat = async (numero: string): Promise<SimulatorChat> => {
    const response = await ctx.app().inject({ url: `/api/v1/simulador/chat?numero=${encodeURIComponent(numero)}&limite=100`, headers });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<SimulatorChat>();
  };
  const row = (wamid: string) =>
    ctx
      .database()
      .kysely.selectFrom('conversaciones_whatsapp as m')
      .innerJoin('whatsapp_mensajes_detalle as d', 'd.message_id', 'm.message_id')
      .selectAll('m')
      .select([
        'd.profile_name',
        'd.phone_number_id',
        'd.media_id',
        'd.media_mime_type',
        'd.reply_id',
        'd.context_message_id',
        'd.reaction_message_id',
        'd.metadata',
      ])
      .where('m.message_id', '=', wamid)
      .executeTakeFirst();
  const count = async () =>
    Number(
      (
        await ctx
          .database()
          .kysely.selectFrom('conversaciones_whatsapp')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('lists the demo customers with their WhatsApp numbers, and the CRM customer a number finds', async () => {
    const response = await ctx.app().inject({ url: '/api/v1/simulador/clientes', headers });
    expect(response.statusCode, response.body).toBe(200);
    const { clientes } = response.json<SimulatorCustomers>();
    expect(clientes).toHaveLength(demoCustomers().length);
    expect(clientes[0]).toEqual({
      numero: ANA,
      nombres: 'Ana María Pérez',
      cliente_id: 7,
      cedula: 'V-12345678',
      fecha_nacimiento: '1985-03-04',
    });
    // The other demo customers are not in this CRM: their names from the demo, no customer.
    expect(clientes[1]).toMatchObject({ numero: demoCustomers()[1]?.whatsapp, cliente_id: null, cedula: null });
  });

  it('a text goes through the signed webhook: an INBOUND row from the number, identified, with the profile name', async () => {
    const wamid = await sent({ numero: '+58 412-' + ANA.slice(5), tipo: 'texto', texto: '  hola  ', nombre_perfil: 'Ana P.' });
    expect(wamid).toMatch(/^wamid\.[A-Za-z0-9+/=]+$/);
    const stored = await row(wamid);
    expect(stored).toMatchObject({
      direccion: 'INBOUND',
      from_number: ANA,
      to_number: '15550000000',
      message_type: 'text',
      body: 'hola',
      cliente_id: 7,
      procesado: false,
      profile_name: 'Ana P.',
      phone_number_id: testConfig().graph.phoneNumberId,
    });
    const before = await chat(ANA);
    expect(before.escribiendo).toBe(true);
    expect(before.mensajes.map((m) => [m.autor, m.texto, m.leido_por_negocio])).toEqual([['cliente', 'hola', false]]);
  });

  it("shows the bot's menu with its options once sent; tapping one is stored as an interactive reply with its id", async () => {
    await answer(ctx.database());
    // The reply waits in the outbox: not on the customer's phone yet, the business is "typing".
    const waiting = await chat(ANA);
    expect(waiting.mensajes.filter((m) => m.autor === 'bot')).toEqual([]);
    expect(waiting.escribiendo).toBe(true);
    await sendReplies(ctx.database());

    const view = await chat(ANA);
    expect(view.escribiendo).toBe(false);
    expect(view.conversacion).toMatchObject({ modo: 'bot', cliente: { id: 7, nombres: 'Ana María Pérez' } });
    // Answered by the bot: read (blue ticks).
    expect(view.mensajes[0]).toMatchObject({ autor: 'cliente', leido_por_negocio: true });
    const menu = view.mensajes.find((m) => m.opciones !== null);
    expect(menu, JSON.stringify(view.mensajes)).toBeDefined();
    if (!menu?.opciones || !menu.message_id) return;
    expect(menu).toMatchObject({ autor: 'bot', direccion: 'OUTBOUND', leido_por_negocio: null });
    expect(menu.opciones.filas.length).toBeGreaterThan(1);
    expect(menu.texto).not.toContain('1. '); // the options are buttons, not a numbered list
    const option = menu.opciones.filas[1] as { id: string; titulo: string };

    const wamid = await sent({ numero: ANA, tipo: 'opcion', mensaje_wamid: menu.message_id, opcion_id: option.id });
    expect(await row(wamid)).toMatchObject({
      message_type: 'interactive',
      body: option.titulo,
      reply_id: option.id,
      context_message_id: menu.message_id,
    });
    const tapped = (await chat(ANA)).mensajes.find((m) => m.message_id === wamid);
    expect(tapped?.opcion_elegida).toEqual({ id: option.id, titulo: option.titulo });

    // Only the message's own options can be tapped, and only on a message with options.
    const unknown = await simulate({ numero: ANA, tipo: 'opcion', mensaje_wamid: menu.message_id, opcion_id: 'no-existe' });
    expect(unknown.statusCode).toBe(400);
    expect(errorOf(unknown).message).toContain('opcion_id');
    const notMenu = await simulate({ numero: ANA, tipo: 'opcion', mensaje_wamid: wamid, opcion_id: option.id });
    expect(notMenu.statusCode).toBe(400);
    expect(errorOf(notMenu).message).toContain('no list or buttons');
  });

  it('a document is stored with its file name, type and caption; an image with a media id (a payment receipt)', async () => {
    const document = await sent({ numero: ANA, tipo: 'documento', texto: 'Pago de la cuota 3' });
    const stored = await row(document);
    expect(stored).toMatchObject({ message_type: 'document', body: 'Pago de la cuota 3', media_mime_type: 'application/pdf' });
    expect(stored?.media_id).toMatch(/^\d{16}$/);
    expect(JSON.parse(stored?.metadata ?? '{}')).toMatchObject({ filename: 'comprobante-pago.pdf' });

    const named = await sent({ numero: ANA, tipo: 'documento', nombre_archivo: 'transferencia.pdf' });
    expect(await row(named)).toMatchObject({ body: '[documento] transferencia.pdf' });

    const image = await sent({ numero: ANA, tipo: 'imagen' });
    expect(await row(image)).toMatchObject({ message_type: 'image', body: '[imagen]', media_mime_type: 'image/jpeg' });

    const view = (await chat(ANA)).mensajes;
    expect(view.find((m) => m.message_id === document)?.media).toMatchObject({
      filename: 'comprobante-pago.pdf',
      caption: 'Pago de la cuota 3',
      media_mime_type: 'application/pdf',
    });
    expect(view.find((m) => m.message_id === image)?.media).toMatchObject({ caption: null, media_mime_type: 'image/jpeg' });
  });

  it('a reaction is stored for its message and shows on it; an empty emoji takes it back', async () => {
    const target = (await chat(ANA)).mensajes.find((m) => m.autor === 'bot')?.message_id as string;
    const reaction = await sent({ numero: ANA, tipo: 'reaccion', mensaje_wamid: target, emoji: '👍🏽' });
    expect(await row(reaction)).toMatchObject({ message_type: 'reaction', body: '👍🏽', reaction_message_id: target });
    expect((await chat(ANA)).mensajes.find((m) => m.message_id === target)?.reacciones).toEqual([{ emoji: '👍🏽' }]);
    // Reactions are not bubbles.
    expect((await chat(ANA)).mensajes.some((m) => m.message_type === 'reaction')).toBe(false);

    await sent({ numero: ANA, tipo: 'reaccion', mensaje_wamid: target, emoji: '' });
    expect((await chat(ANA)).mensajes.find((m) => m.message_id === target)?.reacciones).toEqual([]);
  });

  it('a number that is no customer starts its own chat', async () => {
    await sent({ numero: STRANGER, tipo: 'texto', texto: 'Buenas' });
    const view = await chat(STRANGER);
    expect(view.conversacion).toBeNull(); // the bot has not run: no conversation state yet
    expect(view.mensajes.map((m) => m.texto)).toEqual(['Buenas']);
    expect((await row(view.mensajes[0]?.message_id as string))?.cliente_id).toBeNull();
  });

  it('answers 400 naming the problem, and stores nothing', async () => {
    const target = (await chat(ANA)).mensajes[0]?.message_id as string;
    const before = await count();
    const cases: [Record<string, unknown>, string][] = [
      [{ numero: 'no es un número', tipo: 'texto', texto: 'hola' }, 'not a phone number'],
      [{ numero: ANA, tipo: 'texto', texto: 'x'.repeat(4097) }, 'at most 4096'],
      [{ numero: ANA, tipo: 'texto', texto: '   ' }, 'must not be empty'],
      [{ numero: ANA, tipo: 'texto', texto: 'a\u0000b' }, 'NUL'],
      [{ numero: ANA, tipo: 'audio', texto: 'hola' }, 'tipo'],
      [{ numero: ANA, tipo: 'reaccion', mensaje_wamid: target, emoji: '👍👍' }, 'one emoji'],
      [{ numero: ANA, tipo: 'reaccion', mensaje_wamid: target, emoji: 'ok' }, 'one emoji'],
      [{ numero: ANA, tipo: 'reaccion', mensaje_wamid: 'wamid.otro', emoji: '👍' }, 'not a message of the chat'],
      [{ numero: STRANGER, tipo: 'reaccion', mensaje_wamid: target, emoji: '👍' }, 'not a message of the chat'],
      [{ numero: ANA, tipo: 'opcion', opcion_id: '1' }, 'mensaje_wamid'],
      [{ numero: ANA, tipo: 'documento', nombre_archivo: 'x'.repeat(241) }, 'nombre_archivo'],
    ];
    for (const [body, problem] of cases) {
      const response = await simulate(body);
      expect(response.statusCode, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(errorOf(response).code).toMatch(/^(HTTP_BAD_REQUEST|INPUT_INVALID)$/);
      expect(errorOf(response).message, JSON.stringify(body).slice(0, 80)).toContain(problem);
    }
    const badChat = await ctx.app().inject({ url: '/api/v1/simulador/chat?numero=abc', headers });
    expect(badChat.statusCode).toBe(400);
    const badLimit = await ctx.app().inject({ url: `/api/v1/simulador/chat?numero=${ANA}&limite=500`, headers });
    expect(badLimit.statusCode).toBe(400);
    expect(await count()).toBe(before);
  });

  it('answers 401 without a session, before reading the body', async () => {
    for (const request of [
      { method: 'GET' as const, url: '/api/v1/simulador/clientes' },
      { method: 'GET' as const, url: `/api/v1/simulador/chat?numero=${ANA}` },
      { method: 'POST' as const, url: '/api/v1/simulador/mensajes', payload: { numero: ANA, tipo: 'texto', texto: 'hola' } },
    ]) {
      const response = await ctx.app().inject(request);
      expect(response.statusCode).toBe(401);
      expect(errorOf(response).code).toBe('AUTH_REQUIRED');
    }
  });

  it('does not exist outside sandbox mode (WHATSAPP_ACCESS_TOKEN set): 404', async () => {
    const live = await testApp(ctx.database(), { WHATSAPP_ACCESS_TOKEN: 'EAAG-real-token' });
    try {
      expect((await live.inject({ url: '/api/v1/simulador/clientes', headers })).statusCode).toBe(404);
      expect((await live.inject({ url: `/api/v1/simulador/chat?numero=${ANA}`, headers })).statusCode).toBe(404);
      const post = await simulate({ numero: ANA, tipo: 'texto', texto: 'hola' }, live);
      expect(post.statusCode).toBe(404);
      expect(errorOf(post).code).toBe('HTTP_NOT_FOUND');
    } finally {
      await live.close();
    }
  });

  describeTheRealPath();

  function describeTheRealPath() {
    let spied: FastifyInstance | undefined;
    let unsigned: FastifyInstance | undefined;
    const seen: Notification[] = [];
    beforeAll(async () => {
      const database = ctx.database();
      // The webhook's own ingest, watched: the simulator's message must reach it through the webhook.
      class WatchedIngest extends IngestService {
        override async ingest(notification: Notification): Promise<void> {
          seen.push(notification);
          return super.ingest(notification);
        }
      }
      spied = await buildApp({
        config: testConfig(),
        database,
        logger: false,
        ingest: new WatchedIngest(database, { defaultCallingCode: '58' }),
      });
      // `charla serve` in sandbox mode without WHATSAPP_APP_SECRET: the webhook verifies nothing, so refuses everything.
      unsigned = await buildApp({ config: testConfig({ WHATSAPP_APP_SECRET: '' }), database, logger: false });
    });
    afterAll(async () => {
      await spied?.close();
      await unsigned?.close();
    });

    it("reaches the webhook's reader and ingest, as Meta's deliveries do", async () => {
      const response = await simulate({ numero: ANA, tipo: 'texto', texto: 'por el webhook' }, spied);
      expect(response.statusCode, response.body).toBe(202);
      const wamid = response.json<{ message_id: string }>().message_id;
      expect(seen.flatMap((n) => n.messages.map((m) => [m.message_id, m.from_number, m.body, m.profile_name]))).toEqual([
        [wamid, ANA, 'por el webhook', 'Cliente de prueba'],
      ]);
    });

    it('is signed with the app secret: the webhook refuses the same delivery signed otherwise or unsigned', async () => {
      const app = ctx.app();
      const before = await count();
      const body = JSON.stringify({ object: 'whatsapp_business_account', entry: [] });
      expect((await selfDelivery(app, WEBHOOK, APP_SECRET)(body)).statusCode).toBe(200);
      const wrong = await selfDelivery(app, WEBHOOK, 'another-secret')(body);
      expect(wrong.statusCode).toBe(401);
      expect(wrong.body).toContain('WEBHOOK_SIGNATURE_INVALID');
      expect((await selfDelivery(app, WEBHOOK, undefined)(body)).statusCode).toBe(401);

      // Without WHATSAPP_APP_SECRET the webhook refuses the simulator's message, and it says so (not a 401: the agent stays signed in).
      const refused = await simulate({ numero: ANA, tipo: 'texto', texto: 'sin secreto' }, unsigned);
      expect(refused.statusCode).toBe(502);
      expect(errorOf(refused).code).toBe('SIMULATOR_DELIVERY_REFUSED');
      expect(errorOf(refused).message).toContain('WEBHOOK_NOT_CONFIGURED');
      expect(await count()).toBe(before);
    });
  }
});
