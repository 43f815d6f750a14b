import type { Insertable } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createAgent } from '../../src/auth/agents.repository.js';
import { dayIndex, lastDays, startOfDay } from '../../src/api/lender-days.js';
import type { EstadisticasRespuesta } from '../../src/api/statistics.schemas.js';
import type { Database } from '../../src/db/database.js';
import type { WhatsappTraspasosTable } from '../../src/db/tables.js';
import type { ErrorBody } from '../../src/http/error-handler.js';
import { BotWorker } from '../../src/worker/bot-worker.js';
import { bearer } from '../helpers/auth.js';
import { seedCustomer } from '../helpers/customers.js';
import { insertMessages, storeTexts } from '../helpers/messages.js';
import { describeEachDatabase } from '../helpers/test-database.js';
import { useMigratedApp } from '../helpers/webhook.js';

/**
 * GET /api/v1/estadisticas: every series equals what was seeded, day by day in the lender's time
 * zone (America/Caracas, UTC−4, the default TIMEZONE), including messages a second either side of
 * midnight and one that is on another day in UTC. "Now" is fixed at 2026-11-20 12:00 in Caracas,
 * so the last 7 days are 2026-11-14 … 2026-11-20.
 */

const NOW = new Date('2026-11-20T12:00:00-04:00');
const DAYS = ['2026-11-14', '2026-11-15', '2026-11-16', '2026-11-17', '2026-11-18', '2026-11-19', '2026-11-20'];
const ANA = '584121234567';
const LUIS = '584241112233';
const PEDRO = '584161234567';
const BUSINESS = '15550001234';
const AGENT_ID = 1;

/** The instant of `day` at `time` on the lender's clock (Caracas). */
const local = (day: string, time: string): Date => new Date(`${day}T${time}-04:00`);

let seq = 0;
const wamid = () => `wamid.stats-${seq++}`;

function inbound(from: string, at: Date, clienteId: number | null = null) {
  return {
    message_id: wamid(),
    from_number: from,
    to_number: BUSINESS,
    timestamp: at,
    direccion: 'INBOUND' as const,
    cliente_id: clienteId,
  };
}

function outbound(to: string, at: Date, error: string | null = null) {
  return {
    message_id: wamid(),
    from_number: BUSINESS,
    to_number: to,
    timestamp: at,
    direccion: 'OUTBOUND' as const,
    error,
    procesado: true,
  };
}

async function idOf(database: Database, messageId: string): Promise<number> {
  const row = await database.kysely
    .selectFrom('conversaciones_whatsapp')
    .select('id')
    .where('message_id', '=', messageId)
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Stores an OUTBOUND message and its outbox entry: the bot's (answering `entrante`), an agent's, or an API token's (neither). */
async function sent(
  database: Database,
  message: ReturnType<typeof outbound>,
  by: { entrante: string } | { agente: number } | 'token' | 'sin-envio',
): Promise<void> {
  await insertMessages(database, message);
  if (by === 'sin-envio') return;
  await database.kysely
    .insertInto('whatsapp_envios')
    .values({
      conversacion_id: await idOf(database, message.message_id),
      entrante_id: typeof by === 'object' && 'entrante' in by ? await idOf(database, by.entrante) : null,
      agente_id: typeof by === 'object' && 'agente' in by ? by.agente : null,
      wa_number: message.to_number,
      contenido: '{"kind":"text","body":"x"}',
      estado: 'enviado',
    })
    .execute();
}

/** Meta's status for an OUTBOUND message, as delivery-status.repository.ts stores it. */
async function status(database: Database, message: ReturnType<typeof outbound>, value: string, at: Date): Promise<void> {
  await database.kysely
    .insertInto('whatsapp_mensajes_detalle')
    .values({ message_id: message.message_id, status: value, status_timestamp: at })
    .execute();
}

function fixNow(): void {
  beforeAll(() => {
    vi.useFakeTimers({ toFake: ['Date'], now: NOW });
  });
  afterAll(() => {
    vi.useRealTimers();
  });
}

const zeros = [0, 0, 0, 0, 0, 0, 0];
const nulls = [null, null, null, null, null, null, null];

describeEachDatabase('the statistics page: messages, replies, unidentified senders, failures', ({ fresh }) => {
  fixNow();
  const ctx = useMigratedApp(fresh, async (database) => {
    await seedCustomer(database); // Ana, cliente 7
    const ana = inbound(ANA, local('2026-11-14', '12:00:00'), 7);
    await insertMessages(
      database,
      inbound(PEDRO, local('2026-11-13', '23:59:59')), // the second before the range
      inbound(PEDRO, local('2026-11-14', '00:00:00')), // the range's first second
      ana,
      inbound(ANA, local('2026-11-18', '21:00:00'), 7), // 2026-11-19 in UTC: the lender's 18th
      inbound(LUIS, local('2026-11-19', '23:59:59')),
      inbound(LUIS, local('2026-11-20', '00:00:00')),
      inbound(PEDRO, local('2026-11-20', '08:00:00')),
      inbound(LUIS, local('2026-11-20', '09:00:00')),
    );
    await sent(database, outbound(ANA, local('2026-11-14', '12:00:05')), { entrante: ana.message_id });
    await sent(database, outbound(ANA, local('2026-11-18', '21:30:00')), { agente: AGENT_ID });
    await sent(database, outbound(ANA, local('2026-11-18', '22:00:00')), 'token');
    await sent(database, outbound(ANA, local('2026-11-20', '01:00:00')), 'sin-envio');
    const luisAtMidnight = inbound(LUIS, local('2026-11-12', '10:00:00'));
    await insertMessages(database, luisAtMidnight);
    await sent(database, outbound(LUIS, local('2026-11-20', '00:00:02')), { entrante: luisAtMidnight.message_id });
    // Deliveries Meta reported as failed, with its errors as the webhook stores them.
    const f1 = outbound(
      ANA,
      local('2026-11-16', '10:00:00'),
      '131026 Message undeliverable: Receiver is incapable of receiving this message',
    );
    const f2 = outbound(ANA, local('2026-11-16', '11:00:00'), '131026 Message undeliverable');
    const f3 = outbound(ANA, local('2026-11-16', '23:00:00'), '131047 Re-engagement message: More than 24 hours have passed');
    const f4 = outbound(ANA, local('2026-11-16', '23:30:00'), 'failed');
    const delivered = outbound(ANA, local('2026-11-16', '09:00:00'));
    const before = outbound(ANA, local('2026-11-13', '10:00:00'), '131026 Message undeliverable');
    await sent(database, f1, { agente: AGENT_ID });
    await sent(database, f2, { entrante: ana.message_id });
    for (const m of [f3, f4, delivered, before]) await sent(database, m, 'sin-envio');
    await status(database, f1, 'failed', local('2026-11-16', '10:00:05'));
    await status(database, f2, 'failed', local('2026-11-16', '11:00:03'));
    await status(database, f3, 'failed', local('2026-11-16', '23:59:59'));
    await status(database, f4, 'failed', local('2026-11-17', '00:00:00'));
    await status(database, delivered, 'delivered', local('2026-11-16', '09:00:04'));
    await status(database, before, 'failed', local('2026-11-13', '10:00:01'));
  });
  const get = async (query = '?dias=7') => ctx.app().inject({ url: `/api/v1/estadisticas${query}`, headers: await bearer(ctx.database()) });

  it('counts each series per day of the lender, midnight to midnight, zeros included', async () => {
    const response = await get();
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json<EstadisticasRespuesta>();
    expect(body).toMatchObject({ zona_horaria: 'America/Caracas', desde: '2026-11-14', hasta: '2026-11-20', dias: DAYS });
    expect(body.series).toEqual({
      mensajes_entrantes: [2, 0, 0, 0, 1, 1, 3],
      mensajes_salientes: [1, 0, 5, 0, 2, 0, 2],
      respuestas_bot: [1, 0, 1, 0, 0, 0, 1],
      respuestas_agentes: [0, 0, 1, 0, 1, 0, 0],
      traspasos: zeros,
      devoluciones: zeros,
      primeras_respuestas: zeros,
      primera_respuesta_mediana_segundos: nulls,
      remitentes_sin_identificar: [1, 0, 0, 0, 0, 1, 2],
      fallos_entrega: [0, 0, 3, 1, 0, 0, 0],
    });
    expect(body.totales).toEqual({
      mensajes_entrantes: 7,
      mensajes_salientes: 10,
      respuestas_bot: 3,
      respuestas_agentes: 2,
      traspasos: 0,
      devoluciones: 0,
      primeras_respuestas: 0,
      primera_respuesta_mediana_segundos: null,
      // Pedro and Luis, each once over the range though they wrote on several days.
      remitentes_sin_identificar: 2,
      fallos_entrega: 4,
    });
    expect(body.fallos_por_codigo).toEqual([
      { codigo: 131026, titulo: 'Message undeliverable', total: 2 },
      { codigo: 131047, titulo: 'Re-engagement message', total: 1 },
      { codigo: null, titulo: null, total: 1 },
    ]);
  });

  it('covers 30 days unless told, and 90 when asked; older days are zeros', async () => {
    const thirty = (await get('')).json<EstadisticasRespuesta>();
    expect(thirty.dias).toHaveLength(30);
    expect(thirty.desde).toBe('2026-10-22');
    expect(thirty.series.mensajes_entrantes.slice(-7)).toEqual([2, 0, 0, 0, 1, 1, 3]);
    // Pedro's message a second before the 7-day range, and Luis's of the 12th, are in the 30 days.
    expect(thirty.totales.mensajes_entrantes).toBe(9);
    expect(thirty.series.mensajes_entrantes[thirty.dias.indexOf('2026-11-13')]).toBe(1);
    expect(thirty.totales.fallos_entrega).toBe(5);
    const ninety = (await get('?dias=90')).json<EstadisticasRespuesta>();
    expect(ninety.dias).toHaveLength(90);
    expect(ninety.dias[0]).toBe('2026-08-23');
    expect(ninety.totales.mensajes_entrantes).toBe(9);
    for (const series of Object.values(ninety.series)) expect(series).toHaveLength(90);
  });

  it('answers 400 for any other range, and 401 without credentials', async () => {
    for (const query of ['?dias=10', '?dias=abc', '?dias=', '?dias=7&dias=30']) {
      const response = await get(query);
      expect(response.statusCode, query).toBe(400);
      expect(response.json<ErrorBody>().error.code).toBe('HTTP_BAD_REQUEST');
      expect(response.json<ErrorBody>().error.message).toContain('dias');
    }
    expect((await ctx.app().inject({ url: '/api/v1/estadisticas' })).statusCode).toBe(401);
  });
});

describeEachDatabase("the statistics page: handoffs and agents' first response", ({ fresh }) => {
  fixNow();
  const [NA, NB, NC, ND1, ND2, ND3, NE, NF, NG] = ['1', '2', '3', '4', '5', '6', '7', '8', '9'].map((i) => `58412000000${i}`) as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const handoff = (wa_number: string, at: Date, hacia: 'agente' | 'bot', motivo: 'bot' | 'tomada' | 'devuelta') =>
    ({
      wa_number,
      hacia,
      motivo,
      agente_id: motivo === 'bot' ? null : AGENT_ID,
      creado_en: at,
    }) satisfies Insertable<WhatsappTraspasosTable>;
  const agentMessage = (database: Database, to: string, at: Date) => sent(database, outbound(to, at), { agente: AGENT_ID });

  const ctx = useMigratedApp(fresh, async (database) => {
    const day15 = '2026-11-15';
    const day17 = '2026-11-17';
    await insertMessages(
      database,
      // a: the customer wrote 10 s before the bot handed over: the clock starts at the handoff.
      inbound(NA, local(day15, '09:59:50')),
      // b: last wrote 2 days before an agent took over: the clock starts when they write again.
      inbound(NB, local('2026-11-13', '12:00:00')),
      inbound(NB, local(day15, '13:00:00')),
      // c: handed over, then given back before any agent wrote.
      inbound(NC, local(day15, '14:00:00')),
      // d: three on the 17th: 60, 100 and 1,000 seconds.
      ...[ND1, ND2, ND3].map((n) => inbound(n, local(day17, '09:00:00'))),
      // e: handed over a minute before midnight, answered after it: the 19th's.
      inbound(NE, local('2026-11-19', '23:58:00')),
    );
    await database.kysely
      .insertInto('whatsapp_traspasos')
      .values([
        handoff(NG, local('2026-11-13', '10:00:00'), 'agente', 'tomada'),
        handoff(NA, local(day15, '10:00:00'), 'agente', 'bot'),
        handoff(NB, local(day15, '12:00:00'), 'agente', 'tomada'),
        handoff(NC, local(day15, '14:00:01'), 'agente', 'bot'),
        handoff(NC, local(day15, '15:00:00'), 'bot', 'devuelta'),
        ...[ND1, ND2, ND3].map((n) => handoff(n, local(day17, '10:00:00'), 'agente', 'tomada')),
        handoff(NE, local('2026-11-19', '23:59:00'), 'agente', 'bot'),
        handoff(NF, local('2026-11-20', '09:00:00'), 'agente', 'tomada'),
      ])
      .execute();
    await agentMessage(database, NA, local(day15, '10:05:00')); // a: 300 s
    await agentMessage(database, NB, local(day15, '12:30:00')); // b: before the customer wrote: not the response
    await agentMessage(database, NB, local(day15, '13:02:00')); // b: 120 s
    await agentMessage(database, NC, local(day15, '16:00:00')); // c: after the conversation went back to the bot
    await agentMessage(database, ND1, local(day17, '10:01:00'));
    await agentMessage(database, ND2, local(day17, '10:01:40'));
    await agentMessage(database, ND3, local(day17, '10:16:40'));
    await agentMessage(database, NE, local('2026-11-20', '00:01:00')); // e: 120 s
  });

  it("counts handoffs and gives the median of agents' first responses per day and over the range", async () => {
    const response = await ctx.app().inject({ url: '/api/v1/estadisticas?dias=7', headers: await bearer(ctx.database()) });
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json<EstadisticasRespuesta>();
    expect(body.series).toEqual({
      mensajes_entrantes: [0, 3, 0, 3, 0, 1, 0],
      mensajes_salientes: [0, 4, 0, 3, 0, 0, 1],
      respuestas_bot: zeros,
      respuestas_agentes: [0, 4, 0, 3, 0, 0, 1],
      traspasos: [0, 3, 0, 3, 0, 1, 1],
      devoluciones: [0, 1, 0, 0, 0, 0, 0],
      primeras_respuestas: [0, 2, 0, 3, 0, 1, 0],
      // 15th: 300 and 120 s (c unanswered); 17th: 60, 100, 1,000 s; 19th: 120 s; 20th: not answered yet.
      primera_respuesta_mediana_segundos: [null, 210, null, 100, null, 120, null],
      remitentes_sin_identificar: [0, 3, 0, 3, 0, 1, 0],
      fallos_entrega: zeros,
    });
    expect(body.totales).toMatchObject({
      traspasos: 8,
      devoluciones: 1,
      primeras_respuestas: 6,
      // 60, 100, 120, 120, 300, 1,000: the two middle ones.
      primera_respuesta_mediana_segundos: 120,
      remitentes_sin_identificar: 7,
    });
    expect(body.fallos_por_codigo).toEqual([]);
  });
});

describeEachDatabase('the handoff log', ({ fresh }) => {
  const presentation = { locale: 'es-VE', currency: 'USD', howToPay: 'Transferencia' };
  const PASSWORD = 'una clave larga 123';
  const ctx = useMigratedApp(fresh, async (database) => {
    await seedCustomer(database); // Ana, 0412-1234567
    await createAgent(database.kysely, database.support, {
      email: 'luisa@example.com',
      nombre: 'Luisa',
      password: PASSWORD,
      rol: 'agente',
    });
  });
  const log = () =>
    ctx.database().kysely.selectFrom('whatsapp_traspasos').select(['wa_number', 'hacia', 'motivo', 'agente_id']).orderBy('id').execute();
  const mode = async () =>
    (
      await ctx
        .database()
        .kysely.selectFrom('whatsapp_conversaciones')
        .select('modo')
        .where('wa_number', '=', ANA)
        .executeTakeFirstOrThrow()
    ).modo;

  it('has a row for every change of hands, by the bot or by agents, and none when nothing changes', async () => {
    const database = ctx.database();
    const worker = new BotWorker(database, { presentation, today: () => '2026-11-20' });
    await storeTexts(database, ANA, ['hola']);
    await worker.runOnce();
    expect(await log()).toEqual([]);
    // The customer asks for a person: the bot hands over in the transaction that records its reply.
    await storeTexts(database, ANA, ['quiero hablar con un agente']);
    await worker.runOnce();
    expect(await mode()).toBe('agente');
    const afterBot = [{ wa_number: ANA, hacia: 'agente', motivo: 'bot', agente_id: null }];
    expect(await log()).toEqual(afterBot);
    // Open inboxes hear of it: one `conversacion` event, in the same transaction.
    const handedOver = await database.kysely
      .selectFrom('whatsapp_eventos')
      .select(['wa_number', 'datos'])
      .where('tipo', '=', 'conversacion')
      .execute();
    expect(handedOver.map((e) => ({ wa_number: e.wa_number, datos: JSON.parse(e.datos ?? 'null') as unknown }))).toEqual([
      { wa_number: ANA, datos: { cambio: 'traspasada' } },
    ]);
    // While an agent holds it the bot stays quiet, and nothing is logged.
    await storeTexts(database, ANA, ['¿sigue ahí?']);
    await worker.runOnce();
    expect(await log()).toEqual(afterBot);

    const login = await ctx.app().inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'luisa@example.com', password: PASSWORD },
    });
    expect(login.statusCode, login.body).toBe(200);
    const { token, agente } = login.json<{ token: string; agente: { agentId: number } }>();
    const asLuisa = { authorization: `Bearer ${token}` };
    const post = async (action: string, headers: Record<string, string>) => {
      const response = await ctx.app().inject({ method: 'POST', url: `/api/v1/conversaciones/${ANA}/${action}`, headers });
      expect(response.statusCode, response.body).toBe(200);
    };
    await post('tomar', asLuisa); // agents hold it already: only agente_id changes
    await post('devolver', asLuisa);
    await post('devolver', asLuisa); // the bot holds it already
    await post('tomar', asLuisa);
    await post('devolver', await bearer(database)); // an API token: no agent
    expect(await log()).toEqual([
      ...afterBot,
      { wa_number: ANA, hacia: 'bot', motivo: 'devuelta', agente_id: agente.agentId },
      { wa_number: ANA, hacia: 'agente', motivo: 'tomada', agente_id: agente.agentId },
      { wa_number: ANA, hacia: 'bot', motivo: 'devuelta', agente_id: null },
    ]);

    const stats = (await ctx.app().inject({ url: '/api/v1/estadisticas?dias=7', headers: asLuisa })).json<EstadisticasRespuesta>();
    expect(stats.totales).toMatchObject({ traspasos: 2, devoluciones: 2 });
    expect(stats.series.traspasos.at(-1)).toBe(2);
  });
});

describe("the lender's days", () => {
  const start = (zone: string, day: string) => startOfDay(zone, day).toISOString();

  it('begin at midnight in TIMEZONE, or at the first moment of the day where daylight saving skips midnight', () => {
    expect(start('America/Caracas', '2026-11-20')).toBe('2026-11-20T04:00:00.000Z');
    expect(start('America/New_York', '2026-03-08')).toBe('2026-03-08T05:00:00.000Z');
    expect(start('America/New_York', '2026-03-09')).toBe('2026-03-09T04:00:00.000Z');
    // Chile moves its clocks at midnight: 2026-09-06 begins at 01:00, UTC−3 from then on.
    expect(start('America/Santiago', '2026-09-06')).toBe('2026-09-06T04:00:00.000Z');
    expect(start('America/Santiago', '2026-09-07')).toBe('2026-09-07T03:00:00.000Z');
    expect(start('Asia/Kathmandu', '2026-01-01')).toBe('2025-12-31T18:15:00.000Z');
  });

  it('cover the range end to end, today included, and place an instant in its day', () => {
    const range = lastDays('America/Caracas', 7, NOW);
    expect(range.days).toEqual(DAYS);
    expect(range.starts.map((d) => d.toISOString())).toEqual([...DAYS, '2026-11-21'].map((d) => `${d}T04:00:00.000Z`));
    expect(dayIndex(range, local('2026-11-14', '00:00:00'))).toBe(0);
    expect(dayIndex(range, local('2026-11-13', '23:59:59'))).toBe(-1);
    expect(dayIndex(range, local('2026-11-18', '21:00:00'))).toBe(4);
    expect(dayIndex(range, local('2026-11-20', '23:59:59'))).toBe(6);
    expect(dayIndex(range, local('2026-11-21', '00:00:00'))).toBe(-1);
  });
});
