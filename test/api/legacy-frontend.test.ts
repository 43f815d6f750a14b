import { expect, it, vi } from 'vitest';
import type { MessageRow } from '../../src/api/message-row.js';
import { createAgent } from '../../src/auth/agents.repository.js';
import { GRAPH_API_VERSION } from '../../src/config/config.js';
import type { Database } from '../../src/db/database.js';
import { GraphClient } from '../../src/graph/graph-client.js';
import type { ErrorBody } from '../../src/http/error-handler.js';
import { ReplySender } from '../../src/worker/reply-sender.js';
import { seedCustomer } from '../helpers/customers.js';
import { GraphStandIn } from '../helpers/graph-stand-in.js';
import { insertMessages } from '../helpers/messages.js';
import { describeEachDatabase } from '../helpers/test-database.js';
import { useMigratedApp } from '../helpers/webhook.js';
import { READ_BY_THE_ORIGINAL_PAGE } from '../helpers/rows.js';

/**
 * The original front end's Conversations page, call by call (/work/shared/legacy-frontend.md):
 * each test makes the page's request with `Authorization: Bearer <the JWT sign-in answered>` and
 * asserts exactly the fields the page reads. The partial `from_number` filter (keystrokes) and
 * signing in (test/api/legacy-sign-in.test.ts) are tested apart.
 */

// Migrating a fresh database to head takes a minute on a loaded shared machine.
vi.setConfig({ hookTimeout: 240_000, testTimeout: 120_000 });

const API = '/api/v1/conversaciones-whatsapp';
const BUSINESS = '15550001234';
const ANA = '584121234567'; // customer 5, wrote an hour ago
const LUIS = '584241112233'; // nobody's, wrote 30 hours ago
const MARTA = '584145556677'; // in the records of customers 8 and 9, wrote 3 hours ago
const NEVER = '584249998877'; // never wrote
const HOUR = 3_600_000;
// Whole seconds: every database keeps them exactly.
const NOW = Math.floor(Date.now() / 1000) * 1000;
const at = (msAgo: number) => new Date(NOW - msAgo);

/** What the page reads of a message row (its id aside). */
type PageRow = Pick<MessageRow, Exclude<(typeof READ_BY_THE_ORIGINAL_PAGE)[number], 'id'>>;
const read = (row: MessageRow | undefined) =>
  Object.fromEntries(READ_BY_THE_ORIGINAL_PAGE.filter((key) => key !== 'id').map((key) => [key, row?.[key]]));

interface Listing {
  conversaciones: MessageRow[];
  paginacion: { page: number; pages: number; total: number };
}

/** The rows the page shows, newest first. */
const ROWS = {
  gracias: {
    direccion: 'INBOUND',
    from_number: ANA,
    to_number: BUSINESS,
    body: 'gracias',
    timestamp: at(HOUR).toISOString(),
    cliente_id: 5,
    respuesta_enviada: false,
    respuesta_bot: null,
    error: 'Meta no aceptó la respuesta (131026).',
  },
  saldo: {
    direccion: 'OUTBOUND',
    from_number: BUSINESS,
    to_number: ANA,
    body: 'Su saldo es 120,00 USD.',
    timestamp: at(2 * HOUR - 1000).toISOString(),
    cliente_id: 5,
    respuesta_enviada: true,
    respuesta_bot: null,
    error: null,
  },
  cuanto: {
    direccion: 'INBOUND',
    from_number: ANA,
    to_number: BUSINESS,
    body: '¿Cuánto debo?',
    timestamp: at(2 * HOUR).toISOString(),
    cliente_id: 5,
    respuesta_enviada: true,
    respuesta_bot: 'Su saldo es 120,00 USD.',
    error: null,
  },
  marta: {
    direccion: 'INBOUND',
    from_number: MARTA,
    to_number: BUSINESS,
    body: '¿Quién soy?',
    timestamp: at(3 * HOUR).toISOString(),
    cliente_id: null,
    respuesta_enviada: false,
    respuesta_bot: null,
    error: null,
  },
  luis: {
    direccion: 'INBOUND',
    from_number: LUIS,
    to_number: BUSINESS,
    body: 'hola',
    timestamp: at(30 * HOUR).toISOString(),
    cliente_id: null,
    respuesta_enviada: false,
    respuesta_bot: null,
    error: null,
  },
} satisfies Record<string, PageRow>;

const AGENT = { email: 'operadora@example.com', password: 'clave-de-la-operadora', nombre: 'Operadora', rol: 'agente' as const };

async function seed(database: Database): Promise<void> {
  await createAgent(database.kysely, database.support, AGENT);
  await seedCustomer(database, { cliente: { id: 5, nombres: 'Ana María Pérez', telefono: '0412-123.45.67' } });
  await seedCustomer(database, { cliente: { id: 8, cedula: 'V-8000000', nombres: 'Marta Gil', telefono: '0414-5556677' } });
  await seedCustomer(database, { cliente: { id: 9, cedula: 'V-9000000', nombres: 'Marta Gil de Rey', telefono: '+58 414 555 66 77' } });
  await insertMessages(database, ...Object.values(ROWS).map((row) => ({ ...row, timestamp: new Date(row.timestamp), procesado: true })));
  await database.kysely
    .insertInto('whatsapp_conversaciones')
    .values([
      { wa_number: ANA, cliente_id: 5, ultimo_entrante_en: at(HOUR) },
      { wa_number: MARTA, ultimo_entrante_en: at(3 * HOUR) },
      { wa_number: LUIS, ultimo_entrante_en: at(30 * HOUR) },
    ])
    .execute();
}

describeEachDatabase("the original front end's Conversations page", ({ fresh }) => {
  const ctx = useMigratedApp(fresh, seed);
  // Signed in as the page is: POST /auth/login, then its JWT access token on every call.
  let accessToken: string | undefined;
  const headers = async () => {
    if (!accessToken) {
      const login = await ctx
        .app()
        .inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: AGENT.email, password: AGENT.password } });
      accessToken = login.json<{ access_token: string }>().access_token;
    }
    return { authorization: `Bearer ${accessToken}` };
  };
  const call = async (method: 'GET' | 'POST', url: string, payload?: Record<string, unknown>) =>
    ctx.app().inject({ method, url, headers: await headers(), ...(payload === undefined ? {} : { payload }) });
  const list = async (url: string) => {
    const response = await call('GET', url);
    expect(response.statusCode, response.body).toBe(200);
    return response.json<Listing>();
  };

  it('lists messages a page at a time with the fields the table shows and paginacion.page, .pages, .total', async () => {
    const first = await list(`${API}?page=1&per_page=2`);
    expect(first.conversaciones.map(read)).toEqual([ROWS.gracias, ROWS.saldo]);
    expect(first.conversaciones.every((row) => Number.isInteger(row.id))).toBe(true);
    expect(first.paginacion).toMatchObject({ page: 1, pages: 3, total: 5 });
    const last = await list(`${API}?page=3&per_page=2`);
    expect(last.conversaciones.map(read)).toEqual([ROWS.luis]);
    expect(last.paginacion).toMatchObject({ page: 3, pages: 3, total: 5 });
  });

  it("filters the list by direccion, cliente_id and a whole from_number, as the page's filters send them", async () => {
    const outbound = await list(`${API}?page=1&per_page=20&direccion=OUTBOUND`);
    expect(outbound.conversaciones.map(read)).toEqual([ROWS.saldo]);
    expect(outbound.paginacion).toMatchObject({ page: 1, pages: 1, total: 1 });
    const ana = await list(`${API}?page=1&per_page=20&cliente_id=5`);
    expect(ana.conversaciones.map(read)).toEqual([ROWS.gracias, ROWS.saldo, ROWS.cuanto]);
    expect(ana.paginacion).toMatchObject({ page: 1, pages: 1, total: 3 });
    const luis = await list(`${API}?page=1&per_page=20&from_number=${LUIS}`);
    expect(luis.conversaciones.map(read)).toEqual([ROWS.luis]);
    expect(luis.paginacion).toMatchObject({ page: 1, pages: 1, total: 1 });
  });

  it('opens one message as conversacion', async () => {
    const [newest] = (await list(`${API}?page=1&per_page=1`)).conversaciones;
    const response = await call('GET', `${API}/${newest?.id}`);
    expect(response.statusCode).toBe(200);
    const { conversacion } = response.json<{ conversacion: MessageRow }>();
    expect(conversacion.id).toBe(newest?.id);
    expect(read(conversacion)).toEqual(ROWS.gracias);
  });

  it("pages a customer's messages and a number's thread as the list", async () => {
    const customer = await list(`${API}/cliente/5?page=1&per_page=2`);
    expect(customer.conversaciones.map(read)).toEqual([ROWS.gracias, ROWS.saldo]);
    expect(customer.paginacion).toMatchObject({ page: 1, pages: 2, total: 3 });
    const thread = await list(`${API}/numero/${ANA}?page=2&per_page=2`);
    expect(thread.conversaciones.map(read)).toEqual([ROWS.cuanto]);
    expect(thread.paginacion).toMatchObject({ page: 2, pages: 2, total: 3 });
    expect((await list(`${API}/numero/0414-555.66.77?page=1&per_page=2`)).conversaciones.map(read)).toEqual([ROWS.marta]);
  });

  it('counts total, inbound, outbound and the last 24 hours for the statistics cards', async () => {
    const response = await call('GET', `${API}/estadisticas`);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ total: 5, inbound: 4, outbound: 1, ultimas_24h: 4 });
  });

  it('looks a number up: the customer when found, 200 cliente_encontrado false and cliente null when not', async () => {
    const found = await call('GET', `${API}/buscar-cliente/${encodeURIComponent('0412-123 45 67')}`);
    expect(found.statusCode).toBe(200);
    expect(found.json()).toMatchObject({ cliente_encontrado: true, cliente: { id: 5, nombres: 'Ana María Pérez' }, numero: ANA });

    const nobody = await call('GET', `${API}/buscar-cliente/${LUIS}`);
    expect(nobody.statusCode).toBe(200);
    expect(nobody.json()).toMatchObject({ cliente_encontrado: false, cliente: null, numero: LUIS });

    // Two customers' records hold Marta's number: it identifies nobody (as for the bot), and says who it may be.
    const shared = await call('GET', `${API}/buscar-cliente/${MARTA}`);
    expect(shared.statusCode).toBe(200);
    expect(shared.json()).toEqual({
      cliente_encontrado: false,
      cliente: null,
      candidatos: [
        { id: 8, nombres: 'Marta Gil' },
        { id: 9, nombres: 'Marta Gil de Rey' },
      ],
      numero: MARTA,
    });

    const unreadable = await call('GET', `${API}/buscar-cliente/abc`);
    expect(unreadable.statusCode).toBe(400);
    expect(unreadable.json<ErrorBody>().detail).toMatch(/^"abc" no es un número de teléfono/);
  });

  it("answers a send with success, cliente_encontrado, cliente_id, message_id and conversacion; Meta's id shows once sent", async () => {
    const sent = await call('POST', `${API}/enviar-mensaje`, { to_number: '0412-1234567', message: 'Le escribe Carla, de cobranzas.' });
    expect(sent.statusCode).toBe(201);
    const body = sent.json<{
      success: boolean;
      cliente_encontrado: boolean;
      cliente_id: number;
      message_id: string | null;
      conversacion: MessageRow;
    }>();
    expect(body).toMatchObject({ success: true, cliente_encontrado: true, cliente_id: 5, message_id: null });
    expect(read(body.conversacion)).toMatchObject({
      direccion: 'OUTBOUND',
      to_number: ANA,
      from_number: BUSINESS,
      body: 'Le escribe Carla, de cobranzas.',
      cliente_id: 5,
      respuesta_enviada: false,
      error: null,
    });

    // To a number no single customer has, no customer is found.
    const toMarta = await call('POST', `${API}/enviar-mensaje`, { to_number: MARTA, message: 'Buenas tardes.' });
    expect(toMarta.statusCode).toBe(201);
    expect(toMarta.json()).toMatchObject({ success: true, cliente_encontrado: false, cliente_id: null, message_id: null });

    // The sender delivers both; the message then carries Meta's id.
    const graph = new GraphStandIn();
    try {
      const client = new GraphClient({
        apiUrl: await graph.start(),
        version: GRAPH_API_VERSION,
        phoneNumberId: '106540352242922',
        accessToken: 't',
      });
      expect(await new ReplySender(ctx.database(), { graph: client }).runOnce()).toBe(2);
    } finally {
      await graph.stop();
    }
    const delivered = (await call('GET', `${API}/${body.conversacion.id}`)).json<{ conversacion: MessageRow }>().conversacion;
    expect(delivered.respuesta_enviada).toBe(true);
    expect(delivered.message_id).toMatch(/^wamid\.standin-/);
  });

  it('refuses a send outside the 24-hour window before anything reaches Meta, with a detail the page shows', async () => {
    const outbound = async () => (await list(`${API}?page=1&per_page=1&direccion=OUTBOUND`)).paginacion.total;
    const before = await outbound();
    const refused = await call('POST', `${API}/enviar-mensaje`, { to_number: LUIS, message: 'hola' });
    expect(refused.statusCode).toBe(422);
    const body = refused.json<ErrorBody & { success?: boolean }>();
    expect(body.success).toBeUndefined();
    expect(body.error.code).toBe('OUTSIDE_SERVICE_WINDOW');
    expect(body.detail).toBe(
      'El cliente no ha escrito en las últimas 24 horas, así que WhatsApp solo permite enviarle una plantilla aprobada. El mensaje no se envió.',
    );
    const never = await call('POST', `${API}/enviar-mensaje`, { to_number: NEVER, message: 'hola' });
    expect(never.statusCode).toBe(422);
    expect(never.json<ErrorBody>().detail).toMatch(/^Este número nunca ha escrito.*plantilla aprobada.*no se envió/);

    expect(await outbound()).toBe(before);
    const graph = new GraphStandIn();
    try {
      const client = new GraphClient({
        apiUrl: await graph.start(),
        version: GRAPH_API_VERSION,
        phoneNumberId: '106540352242922',
        accessToken: 't',
      });
      expect(await new ReplySender(ctx.database(), { graph: client }).runOnce()).toBe(0);
      expect(graph.received).toEqual([]);
    } finally {
      await graph.stop();
    }
  });

  it('gives every error a Spanish detail beside error.code and error.message: 404s, 400s naming the field, 401', async () => {
    const absent = await call('GET', `${API}/999999`);
    expect(absent.statusCode).toBe(404);
    expect(absent.json()).toEqual({
      error: { code: 'HTTP_NOT_FOUND', message: 'No message with id 999999.' },
      detail: 'No existe ningún mensaje con id 999999.',
    });
    const noRoute = await call('GET', '/api/v1/conversaciones-whatsap');
    expect(noRoute.statusCode).toBe(404);
    expect(noRoute.json<ErrorBody>()).toMatchObject({
      error: { code: 'HTTP_NOT_FOUND' },
      detail: 'La dirección GET /api/v1/conversaciones-whatsap no existe en Charla: revísala.',
    });

    const refusals: [string, Record<string, unknown> | undefined, string][] = [
      [`${API}?per_page=0`, undefined, 'El campo per_page no es válido: debe ser 1 o más.'],
      [`${API}?per_page=500`, undefined, 'El campo per_page no es válido: debe ser 100 o menos.'],
      [`${API}?page=abc`, undefined, 'El campo page no es válido: debe ser un número.'],
      [`${API}?direccion=SIDEWAYS`, undefined, 'El campo direccion no es válido: debe ser INBOUND o OUTBOUND.'],
      [`${API}/abc`, undefined, 'El campo id no es válido: debe ser un número.'],
      [`${API}/enviar-mensaje`, { message: 'hola' }, 'Falta el campo to_number.'],
      [`${API}/enviar-mensaje`, { to_number: ANA, message: '  ' }, 'El campo message no es válido: no puede estar vacío.'],
      [
        `${API}/enviar-mensaje`,
        { to_number: ANA, message: 'a'.repeat(4097) },
        'El campo message no es válido: debe tener como máximo 4096 caracteres (tiene 4097).',
      ],
    ];
    for (const [url, payload, detail] of refusals) {
      const response = await call(payload === undefined ? 'GET' : 'POST', url, payload);
      expect(response.statusCode, url).toBe(400);
      const body = response.json<ErrorBody>();
      expect(body.error.code, url).toBe('HTTP_BAD_REQUEST');
      expect(body.error.message, url).not.toBe('');
      expect(body.detail, url).toBe(detail);
    }

    const unsigned = await ctx.app().inject({ url: API });
    expect(unsigned.statusCode).toBe(401);
    expect(unsigned.json<ErrorBody>()).toMatchObject({
      error: { code: 'AUTH_REQUIRED' },
      detail: 'Tu sesión no es válida o ya expiró: vuelve a iniciar sesión.',
    });
  });
});
