import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { MessageRow } from '../../src/api/message-row.js';
import type { DatosPlantillaResponse, PlantillasResponse, RespuestaRapida } from '../../src/api/templates.schemas.js';
import { createAgent } from '../../src/auth/agents.repository.js';
import { signIn } from '../../src/auth/auth.service.js';
import { GRAPH_API_VERSION, todayIn } from '../../src/config/config.js';
import { formatDate, formatMoney } from '../../src/crm/money.js';
import type { Database } from '../../src/db/database.js';
import { GraphClient } from '../../src/graph/graph-client.js';
import type { ErrorBody } from '../../src/http/error-handler.js';
import { fillPlaceholders } from '../../src/templates/template-text.js';
import { ReplySender } from '../../src/worker/reply-sender.js';
import { bearer } from '../helpers/auth.js';
import { cuota, prestamo, seedCustomer } from '../helpers/customers.js';
import { graphError, GraphStandIn } from '../helpers/graph-stand-in.js';
import { insertMessages } from '../helpers/messages.js';
import { migratorFor } from '../helpers/migrations.js';
import { describeEachDatabase } from '../helpers/test-database.js';
import { testApp } from '../helpers/webhook.js';

const ANA = '584121234567';
const LUIS = '584241112233';
const BUSINESS = '15550001234';
const HOUR = 3600 * 1000;
const WABA = '102290129340398';

function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

const today = todayIn('America/Caracas');
const NEXT_DUE = addDays(today, 10);

/** Ana (id 5): one instalment 5 days late ($40 of $50 pending), the next due in 10 days ($50); she last wrote 30 hours ago. */
async function seed(database: Database): Promise<void> {
  await seedCustomer(database, {
    cliente: { id: 5, telefono: '0412-123.45.67' },
    prestamos: [
      prestamo({
        id: 11,
        cuotas: [cuota(1, addDays(today, -5), '50.00', '10.00', 'PENDIENTE'), cuota(2, NEXT_DUE, '50.00', '0', 'PENDIENTE')],
      }),
    ],
  });
  const lastWrote = new Date(Date.now() - 30 * HOUR);
  await insertMessages(database, {
    message_id: 'wamid.ana-1',
    from_number: ANA,
    to_number: BUSINESS,
    body: 'hola',
    cliente_id: 5,
    timestamp: lastWrote,
  });
  await database.kysely
    .insertInto('whatsapp_conversaciones')
    .values({ wa_number: ANA, cliente_id: 5, ultimo_entrante_en: lastWrote })
    .execute();
}

describeEachDatabase('message templates, template sending and canned replies', ({ fresh }) => {
  const graph = new GraphStandIn();
  let database: Database;
  /** Sandbox mode (no WHATSAPP_ACCESS_TOKEN), as `charla start` tries it. */
  let app: FastifyInstance;
  /** With Meta: the Graph stand-in as WHATSAPP_API_URL. */
  let metaApp: FastifyInstance;
  let agent: { authorization: string };
  let admin: { authorization: string };
  let agentId: number;
  let graphUrl = '';

  beforeAll(async () => {
    graphUrl = await graph.start();
    database = await (await fresh()).open();
    await migratorFor(database).migrator.upgrade('head');
    await seed(database);
    app = await testApp(database);
    metaApp = await testApp(database, {
      WHATSAPP_ACCESS_TOKEN: 'meta-token',
      WHATSAPP_API_URL: graphUrl,
      WHATSAPP_BUSINESS_ACCOUNT_ID: WABA,
    });
    agentId = await createAgent(database.kysely, database.support, {
      email: 'carla@example.com',
      nombre: 'Carla',
      password: 'una clave bastante larga',
      rol: 'agente',
    });
    const session = await signIn(database.kysely, 'carla@example.com', 'una clave bastante larga');
    agent = { authorization: `Bearer ${session?.token}` };
    admin = await bearer(database, 'admin');
    // Migrating PGlite to head and a scrypt hash take a while on a busy machine.
  }, 180_000);
  afterAll(async () => {
    await app?.close();
    await metaApp?.close();
    await database?.close();
    await graph.stop();
  });

  const outboundCount = async () =>
    Number(
      (
        await database.kysely
          .selectFrom('conversaciones_whatsapp')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('direccion', '=', 'OUTBOUND')
          .executeTakeFirstOrThrow()
      ).n,
    );

  it("offers agents the sandbox's approved templates at once, with their variables and an example; admins see every status", async () => {
    expect((await app.inject({ url: '/api/v1/plantillas' })).statusCode).toBe(401);
    const listed = await app.inject({ url: '/api/v1/plantillas', headers: agent });
    expect(listed.statusCode, listed.body).toBe(200);
    const { plantillas } = listed.json<PlantillasResponse>();
    expect(plantillas.map((p) => [p.nombre, p.idioma, p.estado, p.variables])).toEqual([
      ['pago_recibido', 'es', 'APPROVED', 3],
      ['recordatorio_pago', 'es', 'APPROVED', 3],
      ['seguimiento_conversacion', 'es', 'APPROVED', 1],
    ]);
    expect(plantillas[1]?.categoria).toBe('UTILITY');
    expect(plantillas[1]?.texto).toMatch(/^Hola \{\{1\}\}, te recordamos que tu cuota de \{\{2\}\} vence el \{\{3\}\}\./);
    expect(plantillas[1]?.vista).toMatch(/^Hola Ana, te recordamos que tu cuota de \$50,00 vence el 5 de marzo de 2026\./);
    expect(plantillas[1]?.sincronizado_en).toMatch(/^\d{4}-\d\d-\d\dT.*Z$/);

    const all = await app.inject({ url: '/api/v1/plantillas?estado=todas', headers: admin });
    expect(all.json<PlantillasResponse>().plantillas.map((p) => `${p.nombre}:${p.estado}`)).toContain('cuota_vencida:PENDING');
    expect(all.json<PlantillasResponse>().plantillas).toHaveLength(4);
    const forbidden = await app.inject({ url: '/api/v1/plantillas?estado=todas', headers: agent });
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json<ErrorBody>().error.code).toBe('FORBIDDEN');
    expect((await app.inject({ url: '/api/v1/plantillas?estado=APPROVED', headers: agent })).statusCode).toBe(400);
  });

  it("gives the placeholders' values for a number's customer, formatted as the bot writes them; null when unknown", async () => {
    const ana = await app.inject({ url: '/api/v1/conversaciones/0412%201234567/datos-plantilla', headers: agent });
    expect(ana.statusCode, ana.body).toBe(200);
    expect(ana.json<DatosPlantillaResponse>()).toEqual({
      numero: ANA,
      cliente_id: 5,
      datos: {
        nombre: 'Ana',
        saldo: formatMoney(9000, 'es-VE', 'USD'),
        proxima_cuota: formatMoney(5000, 'es-VE', 'USD'),
        fecha_proxima: formatDate(NEXT_DUE, 'es-VE'),
      },
      baja_en: null,
    });
    const luis = await app.inject({ url: `/api/v1/conversaciones/${LUIS}/datos-plantilla`, headers: agent });
    expect(luis.json()).toEqual({
      numero: LUIS,
      cliente_id: null,
      datos: { nombre: null, saldo: null, proxima_cuota: null, fecha_proxima: null },
      baja_en: null,
    });
    expect((await app.inject({ url: '/api/v1/conversaciones/hola/datos-plantilla', headers: agent })).statusCode).toBe(400);
    expect((await app.inject({ url: `/api/v1/conversaciones/${LUIS}/datos-plantilla` })).statusCode).toBe(401);
  });

  it('sends an approved template outside the 24-hour window: the thread shows the rendered text, Meta gets the parameters', async () => {
    // Free text to Ana is refused: she last wrote 30 hours ago.
    const text = await app.inject({
      method: 'POST',
      url: '/api/v1/conversaciones-whatsapp/enviar-mensaje',
      headers: agent,
      payload: { to_number: ANA, message: 'Hola Ana' },
    });
    expect(text.statusCode).toBe(422);
    expect(text.json<ErrorBody>().error.code).toBe('OUTSIDE_SERVICE_WINDOW');

    const parametros = ['Ana', formatMoney(5000, 'es-VE', 'USD'), formatDate(NEXT_DUE, 'es-VE')];
    const sent = await app.inject({
      method: 'POST',
      url: '/api/v1/conversaciones/0412-1234567/plantilla',
      headers: agent,
      payload: { nombre: 'recordatorio_pago', idioma: 'es', parametros },
    });
    expect(sent.statusCode, sent.body).toBe(201);
    const row = sent.json<{ conversacion: MessageRow }>().conversacion;
    const rendered = `Hola Ana, te recordamos que tu cuota de ${parametros[1]} vence el ${parametros[2]}. Si ya pagaste, envíanos el comprobante por este medio. ¡Gracias!`;
    expect(row).toMatchObject({
      direccion: 'OUTBOUND',
      message_type: 'template',
      body: rendered,
      from_number: BUSINESS,
      to_number: ANA,
      cliente_id: 5,
      respuesta_enviada: false,
    });
    const outbox = await database.kysely
      .selectFrom('whatsapp_envios')
      .selectAll()
      .where('conversacion_id', '=', row.id)
      .executeTakeFirstOrThrow();
    expect(outbox).toMatchObject({ wa_number: ANA, estado: 'pendiente', agente_id: agentId, entrante_id: null });
    expect(JSON.parse(outbox.contenido)).toEqual({
      kind: 'template',
      name: 'recordatorio_pago',
      language: 'es',
      parameters: parametros,
      body: rendered,
    });

    // The sender delivers it although the window is closed.
    graph.received.length = 0;
    const client = new GraphClient({ apiUrl: graphUrl, version: GRAPH_API_VERSION, phoneNumberId: '106540352242922', accessToken: 't' });
    expect(await new ReplySender(database, { graph: client }).runOnce()).toBe(1);
    expect(graph.received.map((r) => r.body)).toEqual([
      {
        messaging_product: 'whatsapp',
        recipient_type: 'individual',
        to: ANA,
        type: 'template',
        template: {
          name: 'recordatorio_pago',
          language: { code: 'es' },
          components: [{ type: 'body', parameters: parametros.map((p) => ({ type: 'text', text: p })) }],
        },
      },
    ]);
    const delivered = await app.inject({ url: `/api/v1/conversaciones-whatsapp/${row.id}`, headers: agent });
    expect(delivered.json<{ conversacion: MessageRow }>().conversacion).toMatchObject({
      respuesta_enviada: true,
      error: null,
      body: rendered,
    });

    // A number that never wrote may get a template too.
    const first = await app.inject({
      method: 'POST',
      url: `/api/v1/conversaciones/${LUIS}/plantilla`,
      headers: admin,
      payload: { nombre: 'seguimiento_conversacion', idioma: 'es', parametros: ['Luis'] },
    });
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json<{ conversacion: MessageRow }>().conversacion).toMatchObject({
      to_number: LUIS,
      cliente_id: null,
      message_type: 'template',
    });
  });

  it('refuses a template that is unknown or not approved, or the wrong parameters, storing nothing', async () => {
    const before = await outboundCount();
    const send = (payload: object) =>
      app.inject({ method: 'POST', url: `/api/v1/conversaciones/${ANA}/plantilla`, headers: agent, payload });
    const wrongCount = await send({ nombre: 'recordatorio_pago', idioma: 'es', parametros: ['Ana'] });
    expect(wrongCount.statusCode).toBe(400);
    expect(wrongCount.json<ErrorBody>().error.message).toBe(
      'parametros has 1 value, but the template recordatorio_pago (es) has 3 variables: give one per variable, in order.',
    );
    for (const parametros of [
      ['Ana', '', 'mañana'],
      ['Ana', 'x'.repeat(1025), 'mañana'],
      ['Ana', '$1', 'a\u0000b'],
    ]) {
      const bad = await send({ nombre: 'recordatorio_pago', idioma: 'es', parametros });
      expect(bad.statusCode).toBe(400);
      expect(bad.json<ErrorBody>().error.message).toContain('parametros');
    }
    expect((await send({ nombre: 'recordatorio_pago', parametros: [] })).statusCode).toBe(400);
    const pending = await send({ nombre: 'cuota_vencida', idioma: 'es', parametros: ['Ana', '$1', 'ayer'] });
    expect(pending.statusCode).toBe(422);
    expect(pending.json<ErrorBody>().error.code).toBe('TEMPLATE_NOT_APPROVED');
    expect(pending.json<ErrorBody>().error.message).toContain('is PENDING, not APPROVED');
    const unknown = await send({ nombre: 'recordatorio_pago', idioma: 'en_US', parametros: ['a', 'b', 'c'] });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json<ErrorBody>().error.code).toBe('TEMPLATE_NOT_APPROVED');
    expect((await app.inject({ method: 'POST', url: `/api/v1/conversaciones/${ANA}/plantilla`, payload: {} })).statusCode).toBe(401);
    expect(await outboundCount()).toBe(before);
  });

  it('lists the canned replies to agents, fills them for a customer, and lets only admins change them', async () => {
    const listed = await app.inject({ url: '/api/v1/respuestas-rapidas', headers: agent });
    const replies = listed.json<{ respuestas_rapidas: RespuestaRapida[] }>().respuestas_rapidas;
    expect(replies.map((r) => r.atajo)).toEqual(['comprobante_recibido', 'despedida', 'proxima_cuota', 'saldo', 'saludo']);

    // What the inbox does with one: the customer's values in its placeholders.
    const { datos } = (
      await app.inject({ url: `/api/v1/conversaciones/${ANA}/datos-plantilla`, headers: agent })
    ).json<DatosPlantillaResponse>();
    expect(fillPlaceholders(replies.find((r) => r.atajo === 'saldo')?.texto ?? '', datos)).toBe(
      `Ana, tu saldo pendiente es de ${formatMoney(9000, 'es-VE', 'USD')}. Si ya pagaste, envíanos el comprobante por este chat para registrarlo.`,
    );

    const post = (headers: Record<string, string>, payload: object) =>
      app.inject({ method: 'POST', url: '/api/v1/respuestas-rapidas', headers, payload });
    const added = await post(admin, { atajo: 'horario', texto: '  Hola {nombre}, atendemos de lunes a viernes de 8 a 5.  ' });
    expect(added.statusCode, added.body).toBe(201);
    const reply = added.json<{ respuesta_rapida: RespuestaRapida }>().respuesta_rapida;
    expect(reply).toMatchObject({ atajo: 'horario', texto: 'Hola {nombre}, atendemos de lunes a viernes de 8 a 5.' });
    expect(reply.creado_en).toMatch(/^\d{4}-\d\d-\d\dT.*Z$/);
    const taken = await post(admin, { atajo: 'horario', texto: 'otra' });
    expect(taken.statusCode).toBe(409);
    expect(taken.json<ErrorBody>().error.code).toBe('CANNED_REPLY_EXISTS');
    for (const payload of [{ atajo: 'Con Espacios', texto: 'x' }, { atajo: 'vacio', texto: '   ' }, { texto: 'sin atajo' }])
      expect((await post(admin, payload)).statusCode).toBe(400);

    const patch = (headers: Record<string, string>, id: number, payload: object) =>
      app.inject({ method: 'PATCH', url: `/api/v1/respuestas-rapidas/${id}`, headers, payload });
    const changed = await patch(admin, reply.id, { texto: 'Atendemos de 8 a 5, {nombre}.' });
    expect(changed.json<{ respuesta_rapida: RespuestaRapida }>().respuesta_rapida).toMatchObject({
      id: reply.id,
      atajo: 'horario',
      texto: 'Atendemos de 8 a 5, {nombre}.',
    });
    expect((await patch(admin, reply.id, { atajo: 'saludo' })).json<ErrorBody>().error.code).toBe('CANNED_REPLY_EXISTS');
    expect((await patch(admin, reply.id, {})).statusCode).toBe(400);
    expect((await patch(admin, 999_999, { texto: 'x' })).statusCode).toBe(404);

    // Agents read them, nothing more.
    expect((await post(agent, { atajo: 'mia', texto: 'x' })).statusCode).toBe(403);
    expect((await patch(agent, reply.id, { texto: 'x' })).statusCode).toBe(403);
    expect((await app.inject({ method: 'DELETE', url: `/api/v1/respuestas-rapidas/${reply.id}`, headers: agent })).statusCode).toBe(403);

    expect((await app.inject({ method: 'DELETE', url: `/api/v1/respuestas-rapidas/${reply.id}`, headers: admin })).statusCode).toBe(204);
    expect((await app.inject({ method: 'DELETE', url: `/api/v1/respuestas-rapidas/${reply.id}`, headers: admin })).statusCode).toBe(404);
    const after = (await app.inject({ url: '/api/v1/respuestas-rapidas', headers: agent })).json<{
      respuestas_rapidas: RespuestaRapida[];
    }>();
    expect(after.respuestas_rapidas.map((r) => r.atajo)).not.toContain('horario');
  });

  it("syncs from Meta for admins only, answering what changed; Meta's error is a 502 that changes nothing", async () => {
    const sync = (target: FastifyInstance, headers: Record<string, string>) =>
      target.inject({ method: 'POST', url: '/api/v1/plantillas/sincronizar', headers });
    const refused = await sync(metaApp, agent);
    expect(refused.statusCode).toBe(403);

    graph.respond(graphError(500, 2, 'Service temporarily unavailable'));
    const failed = await sync(metaApp, admin);
    expect(failed.statusCode).toBe(502);
    expect(failed.json<ErrorBody>().error.code).toBe('TEMPLATES_SYNC_FAILED');
    expect(failed.json<ErrorBody>().error.message).toContain(
      'Meta refused the template list (HTTP 500: (#2) Service temporarily unavailable)',
    );
    expect((await app.inject({ url: '/api/v1/plantillas', headers: agent })).json<PlantillasResponse>().plantillas).toHaveLength(3);

    graph.respond({
      status: 200,
      body: {
        data: [
          {
            id: '1',
            name: 'recordatorio_pago',
            language: 'es',
            category: 'UTILITY',
            status: 'APPROVED',
            components: [{ type: 'BODY', text: 'Hola {{1}}, tu cuota vence el {{2}}.' }],
          },
        ],
      },
    });
    const synced = await sync(metaApp, admin);
    expect(synced.statusCode, synced.body).toBe(200);
    expect(synced.json()).toEqual({ sincronizacion: { origen: 'meta', recibidas: 1, nuevas: 0, actualizadas: 1, retiradas: 3 } });
    const { plantillas } = (await metaApp.inject({ url: '/api/v1/plantillas', headers: agent })).json<PlantillasResponse>();
    expect(plantillas.map((p) => [p.nombre, p.variables, p.vista])).toEqual([
      ['recordatorio_pago', 2, 'Hola {{1}}, tu cuota vence el {{2}}.'],
    ]);

    // In sandbox mode an admin's sync reads the sandbox's templates.
    expect((await sync(app, admin)).json()).toEqual({
      sincronizacion: { origen: 'sandbox', recibidas: 4, nuevas: 0, actualizadas: 4, retiradas: 0 },
    });
  });
});
