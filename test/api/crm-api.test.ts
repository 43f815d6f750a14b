import type { FastifyInstance } from 'fastify';
import { expect, it } from 'vitest';
import type { Database } from '../../src/db/database.js';
import type { ConversationEntry } from '../../src/api/inbox.repository.js';
import type { MessageRow } from '../../src/api/message-row.js';
import type { ErrorBody } from '../../src/http/error-handler.js';
import { GRAPH_API_VERSION } from '../../src/config/config.js';
import { GraphClient } from '../../src/graph/graph-client.js';
import { ReplySender } from '../../src/worker/reply-sender.js';
import { bearer } from '../helpers/auth.js';
import { seedCustomer } from '../helpers/customers.js';
import { GraphStandIn } from '../helpers/graph-stand-in.js';
import { insertMessages } from '../helpers/messages.js';
import { describeEachDatabase } from '../helpers/test-database.js';
import { useMigratedApp } from '../helpers/webhook.js';

const ANA = '584121234567';
const LUIS = '584241112233';
const BUSINESS = '15550001234';
const API = '/api/v1/conversaciones-whatsapp';
const HOUR = 3600 * 1000;

interface Listing {
  conversaciones: MessageRow[];
  paginacion: { page: number | null; per_page: number; total: number; pages: number; next_cursor: string | null };
}
interface Inbox {
  conversaciones: ConversationEntry[];
  cursor_siguiente: string | null;
}
interface OneConversation {
  conversacion: ConversationEntry;
}

/** Ana: a customer with 30 messages (alternating directions, one a minute); Luis: unknown, 3 messages, a day old. */
async function seed(database: Database): Promise<void> {
  await seedCustomer(database, { cliente: { id: 5, telefono: '0412-123.45.67' } });
  const start = Date.now() - 2 * HOUR;
  const ana = Array.from({ length: 30 }, (_, i) => ({
    message_id: `wamid.ana-${i}`,
    from_number: i % 2 === 0 ? ANA : BUSINESS,
    to_number: i % 2 === 0 ? BUSINESS : ANA,
    direccion: i % 2 === 0 ? ('INBOUND' as const) : ('OUTBOUND' as const),
    body: `ana ${i}`,
    cliente_id: 5,
    timestamp: new Date(start + i * 60_000),
    procesado: true,
    respuesta_enviada: i % 2 === 1,
  }));
  const luis = Array.from({ length: 3 }, (_, i) => ({
    message_id: `wamid.luis-${i}`,
    from_number: LUIS,
    body: `luis ${i}`,
    timestamp: new Date(Date.now() - 30 * HOUR + i * 1000),
  }));
  await insertMessages(database, ...ana, ...luis);
  await database.kysely
    .insertInto('whatsapp_conversaciones')
    .values([
      // no_leidos: the counter the worker keeps (15 inbound messages, none read).
      { wa_number: ANA, cliente_id: 5, ultimo_entrante_en: new Date(start + 28 * 60_000), comprobante_pendiente: true, no_leidos: 15 },
      { wa_number: LUIS, ultimo_entrante_en: new Date(Date.now() - 30 * HOUR + 2000) },
    ])
    .execute();
}

describeEachDatabase('the CRM API', ({ fresh }) => {
  const ctx = useMigratedApp(fresh, seed);
  const get = async (url: string, role: 'agente' | 'admin' | null = 'agente') =>
    ctx.app().inject({ url, headers: role ? await bearer(ctx.database(), role) : {} });

  it('answers nothing without credentials, or with a wrong or revoked token', async () => {
    const paths = [
      API,
      `${API}/1`,
      `${API}/cliente/5`,
      `${API}/numero/${ANA}`,
      `${API}/estadisticas`,
      `${API}/buscar-cliente/${ANA}`,
      '/api/v1/conversaciones',
      `/api/v1/conversaciones/${ANA}`,
      '/api/v1/auth/me',
    ];
    for (const url of paths) {
      const response = await get(url, null);
      expect(response.statusCode, url).toBe(401);
      expect(response.json<ErrorBody>().error.code).toBe('AUTH_REQUIRED');
      expect(response.body).not.toContain('ana ');
    }
    expect((await ctx.app().inject({ url: API, headers: { authorization: 'Bearer cht_not-a-token' } })).statusCode).toBe(401);
    const admin = await bearer(ctx.database(), 'admin');
    const created = await ctx.app().inject({ method: 'POST', url: '/api/v1/tokens', headers: admin, payload: { nombre: 'cobranzas' } });
    expect(created.statusCode).toBe(201);
    const token = { authorization: `Bearer ${created.json<{ token: string; id: number }>().token}` };
    expect((await ctx.app().inject({ url: API, headers: token })).statusCode).toBe(200);
    expect(
      (await ctx.app().inject({ method: 'DELETE', url: `/api/v1/tokens/${created.json<{ id: number }>().id}`, headers: admin })).statusCode,
    ).toBe(204);
    expect((await ctx.app().inject({ url: API, headers: token })).statusCode).toBe(401);
    const posted = await ctx.app().inject({ method: 'POST', url: `${API}/enviar-mensaje`, payload: { to_number: ANA, message: 'hola' } });
    expect(posted.statusCode).toBe(401);
  });

  it('lists messages newest first with the original pagination, every column, ISO UTC timestamps', async () => {
    const response = await get(`${API}?page=2&per_page=10`);
    expect(response.statusCode).toBe(200);
    const body = response.json<Listing>();
    expect(body.paginacion).toMatchObject({ page: 2, per_page: 10, total: 33, pages: 4 });
    expect(body.conversaciones).toHaveLength(10);
    expect(body.conversaciones.map((r) => r.body)).toEqual(Array.from({ length: 10 }, (_, i) => `ana ${19 - i}`));
    const row = body.conversaciones[0] as MessageRow;
    expect(Object.keys(row).sort()).toEqual(
      [
        'id',
        'message_id',
        'from_number',
        'to_number',
        'message_type',
        'body',
        'timestamp',
        'direccion',
        'cliente_id',
        'procesado',
        'respuesta_enviada',
        'respuesta_id',
        'respuesta_bot',
        'respuesta_meta_id',
        'error',
        'creado_en',
        'actualizado_en',
      ].sort(),
    );
    expect(row.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(row.procesado).toBe(true);
    expect(row.respuesta_enviada).toBe(true); // ana 19: an OUTBOUND reply that was sent
  });

  it('filters by customer, sender and direction', async () => {
    expect((await get(`${API}?cliente_id=5`)).json<Listing>().paginacion.total).toBe(30);
    expect((await get(`${API}?from_number=0424-111.22.33`)).json<Listing>().paginacion.total).toBe(3);
    const inbound = (await get(`${API}?direccion=INBOUND&per_page=100`)).json<Listing>();
    expect(inbound.paginacion.total).toBe(18);
    expect(inbound.conversaciones.every((r) => r.direccion === 'INBOUND')).toBe(true);
  });

  it('pages with a cursor to the same rows as with page numbers, in the same order', async () => {
    const byPage: number[] = [];
    for (let page = 1; page <= 4; page++)
      byPage.push(...(await get(`${API}?page=${page}&per_page=10`)).json<Listing>().conversaciones.map((r) => r.id));
    const byCursor: number[] = [];
    let cursor: string | null = null;
    do {
      const body: Listing = (await get(`${API}?per_page=10${cursor ? `&cursor=${cursor}` : ''}`)).json<Listing>();
      byCursor.push(...body.conversaciones.map((r) => r.id));
      cursor = body.paginacion.next_cursor;
    } while (cursor);
    expect(byCursor).toEqual(byPage);
    expect(new Set(byCursor).size).toBe(33);
  });

  it('refuses bad parameters with a 400 that names them', async () => {
    for (const query of ['per_page=0', 'per_page=101', 'page=-1', 'page=abc', 'direccion=SIDEWAYS', 'cliente_id=x', 'cursor=nonsense']) {
      const response = await get(`${API}?${query}`);
      expect(response.statusCode, query).toBe(400);
      expect(response.json<ErrorBody>().error.code).toBe('HTTP_BAD_REQUEST');
      expect(response.json<ErrorBody>().error.message).toMatch(new RegExp(query.split('=')[0] as string));
    }
    expect((await get(`${API}/abc`)).statusCode).toBe(400);
    expect((await get(`${API}/cliente/-3`)).statusCode).toBe(400);
    expect((await get(`${API}/numero/not-a-phone`)).statusCode).toBe(400);
    expect((await get(`${API}/buscar-cliente/12`)).statusCode).toBe(400);
  });

  it('returns one message by id, and 404 for an absent one', async () => {
    const first = (await get(`${API}?per_page=1`)).json<Listing>().conversaciones[0];
    const response = await get(`${API}/${first?.id}`);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ conversacion: first });
    const absent = await get(`${API}/999999`);
    expect(absent.statusCode).toBe(404);
    expect(absent.json<ErrorBody>().error.code).toBe('HTTP_NOT_FOUND');
  });

  it("returns a customer's messages and a number's thread in both directions, the number in any format", async () => {
    const customer = (await get(`${API}/cliente/5?per_page=5`)).json<Listing>();
    expect(customer.paginacion).toMatchObject({ total: 30, pages: 6 });
    expect(customer.conversaciones[0]?.body).toBe('ana 29');
    const thread = (await get(`${API}/numero/${encodeURIComponent('+58 412-1234567')}?per_page=50`)).json<Listing>();
    expect(thread.paginacion.total).toBe(30);
    expect(thread.conversaciones.map((r) => r.body)).toEqual(Array.from({ length: 30 }, (_, i) => `ana ${29 - i}`));
    const next = (
      await get(
        `${API}/numero/04121234567?per_page=4&cursor=${(await get(`${API}/numero/${ANA}?per_page=4`)).json<Listing>().paginacion.next_cursor}`,
      )
    ).json<Listing>();
    expect(next.conversaciones.map((r) => r.body)).toEqual(['ana 25', 'ana 24', 'ana 23', 'ana 22']);
    expect((await get(`${API}/cliente/77`)).json<Listing>().paginacion.total).toBe(0);
  });

  it('answers the statistics with the counts of the table', async () => {
    const response = await get(`${API}/estadisticas`);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      total: 33,
      inbound: 18,
      outbound: 15,
      con_cliente: 30,
      sin_cliente: 3,
      respuestas_enviadas: 15,
      ultimas_24h: 30,
    });
  });

  it('finds the customer of a number, and answers 200 cliente_encontrado false for a number nobody has', async () => {
    const response = await get(`${API}/buscar-cliente/0412-1234567`);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      cliente_encontrado: true,
      numero: ANA,
      cliente: { id: 5, nombres: 'Ana María Pérez', cedula: 'V-12345678' },
    });
    const nobody = await get(`${API}/buscar-cliente/${LUIS}`);
    expect(nobody.statusCode).toBe(200);
    expect(nobody.json()).toEqual({ cliente_encontrado: false, cliente: null, candidatos: [], numero: LUIS });
  });

  it('sends as an agent inside the 24-hour window, recording the agent, and refuses outside it before storing anything', async () => {
    const app: FastifyInstance = ctx.app();
    const headers = await bearer(ctx.database(), 'agente');
    const sent = await app.inject({
      method: 'POST',
      url: `${API}/enviar-mensaje`,
      headers,
      payload: { to_number: '0412 1234567', message: 'Le escribe Carla, de cobranzas.' },
    });
    expect(sent.statusCode).toBe(201);
    expect(sent.json()).toMatchObject({ success: true, cliente_encontrado: true, cliente_id: 5, message_id: null });
    const row = sent.json<{ conversacion: MessageRow }>().conversacion;
    expect(row).toMatchObject({
      direccion: 'OUTBOUND',
      to_number: ANA,
      from_number: BUSINESS,
      body: 'Le escribe Carla, de cobranzas.',
      cliente_id: 5,
      respuesta_enviada: false,
    });
    const outbox = await ctx
      .database()
      .kysely.selectFrom('whatsapp_envios')
      .selectAll()
      .where('conversacion_id', '=', row.id)
      .executeTakeFirstOrThrow();
    expect(outbox).toMatchObject({ wa_number: ANA, estado: 'pendiente', entrante_id: null });
    expect(JSON.parse(outbox.contenido)).toEqual({ kind: 'text', body: 'Le escribe Carla, de cobranzas.' });

    // The bot's sender delivers it and records Meta's id on the row.
    const graph = new GraphStandIn();
    const graphUrl = await graph.start();
    try {
      const client = new GraphClient({ apiUrl: graphUrl, version: GRAPH_API_VERSION, phoneNumberId: '106540352242922', accessToken: 't' });
      expect(await new ReplySender(ctx.database(), { graph: client }).runOnce()).toBe(1);
      expect(graph.received).toHaveLength(1);
      expect(graph.received[0]?.body).toMatchObject({ to: ANA, text: { body: 'Le escribe Carla, de cobranzas.' } });
    } finally {
      await graph.stop();
    }
    const delivered = (await get(`${API}/${row.id}`)).json<{ conversacion: MessageRow }>().conversacion;
    expect(delivered).toMatchObject({ respuesta_enviada: true, error: null });
    expect(delivered.message_id).toMatch(/^wamid\./);

    const before = (await get(`${API}?from_number=${BUSINESS}`)).json<Listing>().paginacion.total;
    const refused = await app.inject({
      method: 'POST',
      url: `${API}/enviar-mensaje`,
      headers,
      payload: { to_number: LUIS, message: 'hola' },
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.json<ErrorBody>().error.code).toBe('OUTSIDE_SERVICE_WINDOW');
    expect((await get(`${API}?from_number=${BUSINESS}`)).json<Listing>().paginacion.total).toBe(before);
    for (const payload of [{ message: 'x' }, { to_number: ANA, message: '' }, { to_number: ANA }]) {
      expect((await app.inject({ method: 'POST', url: `${API}/enviar-mensaje`, headers, payload })).statusCode).toBe(400);
    }
  });

  it('lists conversations with their last message, unread count, mode and flags; marks read, takes over, returns, resolves', async () => {
    const headers = await bearer(ctx.database(), 'agente');
    const inject = (method: 'GET' | 'POST', url: string) => ctx.app().inject({ method, url, headers });
    const list = (await inject('GET', '/api/v1/conversaciones')).json<Inbox>();
    const ana = list.conversaciones.find((c) => c.wa_number === ANA);
    expect(list.conversaciones[0]?.wa_number).toBe(ANA);
    expect(ana).toMatchObject({ cliente: { id: 5, nombres: 'Ana María Pérez' }, modo: 'bot', comprobante_pendiente: true, no_leidos: 15 });
    // One name per thing, in Spanish: the column's (docs/glossary.md).
    expect(Object.keys(ana ?? {}).sort()).toEqual(
      [
        'wa_number',
        'cliente',
        'profile_name',
        'modo',
        'agente_id',
        'comprobante_pendiente',
        'paso_verificacion',
        'ultimo_entrante_en',
        'no_leidos',
        'ultimo_mensaje',
        'sin_identificar',
        'agente',
        'ventana_cierra_en',
        'envio_fallido',
      ].sort(),
    );
    expect(ana?.ultimo_entrante_en).toMatch(/^\d{4}-\d\d-\d\dT/);
    const first = (await inject('GET', '/api/v1/conversaciones?limite=1')).json<Inbox>();
    expect(first.conversaciones.map((c) => c.wa_number)).toEqual([ANA]);
    const second = (await inject('GET', `/api/v1/conversaciones?limite=1&cursor=${first.cursor_siguiente}`)).json<Inbox>();
    expect(second.conversaciones.map((c) => c.wa_number)).toEqual([LUIS]);
    expect(ana?.ultimo_mensaje?.body).toMatch(/^ana 29$|^Le escribe/);
    expect((await inject('GET', '/api/v1/conversaciones?comprobante_pendiente=true')).json<Inbox>().conversaciones).toHaveLength(1);
    expect((await inject('GET', '/api/v1/conversaciones?limite=0')).statusCode).toBe(400);
    expect((await inject('GET', '/api/v1/conversaciones?modo=agent')).statusCode).toBe(400);

    const read = await inject('POST', `/api/v1/conversaciones/${ANA}/leido`);
    expect(read.json(), read.body).toHaveProperty('conversacion.no_leidos', 0);
    expect((await inject('POST', `/api/v1/conversaciones/${ANA}/tomar`)).json<OneConversation>().conversacion).toMatchObject({
      modo: 'agente',
    });
    expect((await inject('GET', '/api/v1/conversaciones?modo=agente')).json<Inbox>().conversaciones.map((c) => c.wa_number)).toEqual([ANA]);
    expect((await inject('POST', `/api/v1/conversaciones/${ANA}/devolver`)).json<OneConversation>().conversacion).toMatchObject({
      modo: 'bot',
      agente_id: null,
    });
    expect(
      (await inject('POST', `/api/v1/conversaciones/${ANA}/comprobante-revisado`)).json<OneConversation>().conversacion
        .comprobante_pendiente,
    ).toBe(false);
    expect((await inject('POST', '/api/v1/conversaciones/584149999999/tomar')).statusCode).toBe(404);
  });

  it('pages by cursor without losing rows written in the same millisecond (microsecond timestamps of the Python system)', async () => {
    const number = '584160000001';
    const at = (micros: string) => `2026-01-01 10:00:00.${micros}` as unknown as Date;
    await insertMessages(
      ctx.database(),
      ...['000300', '000100', '000200', '000200'].map((micros, i) => ({ from_number: number, body: `micro ${i}`, timestamp: at(micros) })),
    );
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Listing = (await get(`${API}/numero/${number}?per_page=1${cursor ? `&cursor=${cursor}` : ''}`)).json<Listing>();
      seen.push(...page.conversaciones.map((r) => r.body ?? ''));
      cursor = page.paginacion.next_cursor;
    } while (cursor);
    const all = (await get(`${API}/numero/${number}?per_page=10`)).json<Listing>().conversaciones.map((r) => r.body ?? '');
    expect(seen).toEqual(all);
    expect([...seen].sort()).toEqual(['micro 0', 'micro 1', 'micro 2', 'micro 3']);
  });
});
