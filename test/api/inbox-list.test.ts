import type { FastifyInstance } from 'fastify';
import { beforeAll, expect, it, vi } from 'vitest';
import { createAgent } from '../../src/auth/agents.repository.js';
import type { ConversationEntry, ConversationList, InboxSummary } from '../../src/api/inbox.schemas.js';
import type { Database } from '../../src/db/database.js';
import { BotWorker } from '../../src/worker/bot-worker.js';
import { claimDue, markFailed, markSent } from '../../src/worker/outbox.repository.js';
import { bearer } from '../helpers/auth.js';
import { seedCustomer } from '../helpers/customers.js';
import { storePayload, storeTexts } from '../helpers/messages.js';
import { message, notification, status } from '../helpers/payloads.js';
import { describeEachDatabase } from '../helpers/test-database.js';
import { useMigratedApp } from '../helpers/webhook.js';

// Migrating a fresh database to head takes a minute on a loaded shared machine.
vi.setConfig({ hookTimeout: 240_000, testTimeout: 120_000 });

const presentation = { locale: 'es-VE', currency: 'USD', howToPay: 'Transferencia' };
const HOUR = 3_600_000;
const ANA = '584121234567'; // the seeded customer (0412-123.45.67)
const VENTANA = '584140000001'; // wrote 23 hours ago: the window closes within 2 hours
const COMPROBANTE = '584140000002';
const TOMADA = '584140000003'; // taken over by Carla
const FALLA_META = '584140000004'; // Meta said `failed` for the reply
const FALLA_ENVIO = '584140000005'; // the sender gave up on the reply
const ALL = [ANA, VENTANA, COMPROBANTE, TOMADA, FALLA_META, FALLA_ENVIO];
const PASSWORD = 'correcto-caballo-bateria';

const seconds = (ms: number) => Math.floor(ms / 1000);

async function answer(database: Database): Promise<void> {
  const worker = new BotWorker(database, { presentation, today: () => '2026-11-25' });
  while ((await worker.runOnce()) > 0);
}

/** Signs in an agent; returns its id and bearer headers (a session token works as a bearer). */
async function signedInAgent(app: FastifyInstance, database: Database, nombre: string, email: string) {
  const id = await createAgent(database.kysely, database.support, { email, nombre, password: PASSWORD, rol: 'agente' });
  const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password: PASSWORD } });
  return { id, headers: { authorization: `Bearer ${login.json<{ token: string }>().token}` } };
}

describeEachDatabase('the inbox list: flags, filters, agents, unread counts, pages', ({ fresh }) => {
  let anaId = 0;
  const ctx = useMigratedApp(fresh, async (database) => {
    anaId = await seedCustomer(database);
  });
  let carla: { id: number; headers: { authorization: string } };
  let pedro: { id: number; headers: { authorization: string } };
  const get = <T>(url: string, headers = carla.headers) =>
    ctx
      .app()
      .inject({ url, headers })
      .then((r) => (expect(r.statusCode, r.body).toBe(200), r.json<T>()));
  const post = (url: string, headers = carla.headers, payload?: unknown) =>
    ctx.app().inject({ method: 'POST', url, headers, ...(payload ? { payload } : {}) });
  const numbers = async (query: string, headers = carla.headers) =>
    (await get<ConversationList>(`/api/v1/conversaciones?limite=100&${query}`, headers)).conversaciones.map((c) => c.wa_number).sort();
  const entryOf = async (number: string) =>
    (await get<ConversationList>('/api/v1/conversaciones?limite=100')).conversaciones.find(
      (c) => c.wa_number === number,
    ) as ConversationEntry;

  beforeAll(async () => {
    const database = ctx.database();
    carla = await signedInAgent(ctx.app(), database, 'Carla Rojas', 'carla@example.com');
    pedro = await signedInAgent(ctx.app(), database, 'Pedro Gil', 'pedro@example.com');
    const now = Date.now();
    await storeTexts(database, ANA, ['hola', 'quiero mi saldo'], seconds(now - 60_000));
    await storeTexts(database, VENTANA, ['hola'], seconds(now - 23 * HOUR));
    for (const number of [COMPROBANTE, TOMADA, FALLA_META, FALLA_ENVIO])
      await storeTexts(database, number, ['hola'], seconds(now - 5 * HOUR));
    await answer(database);
    await database.kysely
      .updateTable('whatsapp_conversaciones')
      .set({ comprobante_pendiente: true })
      .where('wa_number', '=', COMPROBANTE)
      .execute();
    expect((await post(`/api/v1/conversaciones/${TOMADA}/tomar`)).statusCode).toBe(200);
    // The replies to the two failing numbers: one reaches Meta, which then says failed; one the sender gives up on.
    const due = await claimDue(database.kysely, database.support, 100, 60_000);
    const toMeta = due.find((e) => e.wa_number === FALLA_META);
    const givenUp = due.find((e) => e.wa_number === FALLA_ENVIO);
    if (!toMeta || !givenUp) throw new Error('the bot did not answer the failing numbers');
    await markSent(database.kysely, database.support, [{ entry: toMeta, wamid: 'wamid.falla-meta', recipient: FALLA_META }]);
    await storePayload(
      database,
      notification([], {
        statuses: [status('wamid.falla-meta', 'failed', seconds(now), [{ code: 131026, title: 'Message undeliverable' }])],
      }),
    );
    await markFailed(database.kysely, database.support, givenUp, '131047 Re-engagement message');
  });

  it('shows the agent, the customer, the window, the failed send and the unread count of each conversation', async () => {
    const list = await get<ConversationList>('/api/v1/conversaciones?limite=100');
    expect(list.conversaciones.map((c) => c.wa_number).sort()).toEqual([...ALL].sort());
    const ana = await entryOf(ANA);
    expect(ana).toMatchObject({
      sin_identificar: false,
      cliente: { id: anaId, nombres: 'Ana María Pérez' },
      agente: null,
      envio_fallido: false,
      no_leidos: 2,
    });
    expect(ana.ultimo_mensaje?.direccion).toBe('OUTBOUND'); // the bot's reply is the newest message
    expect(Date.parse(ana.ventana_cierra_en as string) - Date.parse(ana.ultimo_entrante_en as string)).toBe(24 * HOUR);
    expect(await entryOf(TOMADA)).toMatchObject({ modo: 'agente', agente_id: carla.id, agente: { id: carla.id, nombre: 'Carla Rojas' } });
    expect(await entryOf(VENTANA)).toMatchObject({ sin_identificar: true, cliente: null, agente: null, no_leidos: 1 });
    expect(await entryOf(FALLA_META)).toMatchObject({ envio_fallido: true });
    expect(await entryOf(FALLA_ENVIO)).toMatchObject({ envio_fallido: true });
    // One conversation's entry has the same shape.
    const one = (await ctx.app().inject({ url: `/api/v1/conversaciones/${TOMADA}`, headers: carla.headers })).json<{
      conversacion: ConversationEntry;
    }>();
    expect(one.conversacion).toEqual(await entryOf(TOMADA));
  });

  it('filters: each returns exactly its conversations, and the summary counts them', async () => {
    expect(await numbers('filtro=todas')).toEqual([...ALL].sort());
    expect(await numbers('filtro=sin_identificar')).toEqual(ALL.filter((n) => n !== ANA).sort());
    expect(await numbers('filtro=comprobante')).toEqual([COMPROBANTE]);
    expect(await numbers('filtro=ventana')).toEqual([VENTANA]);
    expect(await numbers('filtro=fallidos')).toEqual([FALLA_META, FALLA_ENVIO]);
    expect(await numbers('filtro=mias')).toEqual([TOMADA]);
    expect(await numbers('filtro=mias', pedro.headers)).toEqual([]);
    expect(await numbers('filtro=sin_identificar&modo=agente')).toEqual([TOMADA]);
    const summary = await get<InboxSummary>('/api/v1/conversaciones/resumen');
    expect(summary).toEqual({ todas: 6, mias: 1, sin_identificar: 5, comprobante: 1, ventana: 1, fallidos: 2, no_leidos_total: 7 });
    expect((await get<InboxSummary>('/api/v1/conversaciones/resumen', pedro.headers)).mias).toBe(0);
    for (const bad of ['filtro=todos', 'filtro=', 'limite=101']) {
      const response = await ctx.app().inject({ url: `/api/v1/conversaciones?${bad}`, headers: carla.headers });
      expect(response.statusCode, bad).toBe(400);
    }
    expect((await ctx.app().inject({ url: '/api/v1/conversaciones/resumen' })).statusCode).toBe(401);
  });

  it('a new message from Charla clears the failed flag; a late failure of an older one does not set it again', async () => {
    const database = ctx.database();
    const sent = await post('/api/v1/conversaciones-whatsapp/enviar-mensaje', carla.headers, {
      to_number: FALLA_META,
      message: 'le escribo de nuevo',
    });
    expect(sent.statusCode, sent.body).toBe(201);
    expect(await numbers('filtro=fallidos')).toEqual([FALLA_ENVIO]);
    // Meta's failure of the first reply arrives again (redelivered): the newest message is fine.
    await storePayload(
      database,
      notification([], { statuses: [status('wamid.falla-meta', 'failed', seconds(Date.now()), [{ code: 131026 }])] }),
    );
    expect((await entryOf(FALLA_META)).envio_fallido).toBe(false);
  });

  it('counts unread messages as they arrive (reactions aside) and clears them on mark-read', async () => {
    const database = ctx.database();
    const total = async () => (await get<InboxSummary>('/api/v1/conversaciones/resumen')).no_leidos_total;
    const before = await total();
    await storeTexts(database, ANA, ['¿me oye?', 'hola?']);
    await storePayload(database, notification([message.reaction('wamid.cualquiera', '👍')], { from: ANA }));
    await answer(database);
    expect((await entryOf(ANA)).no_leidos).toBe(4);
    expect(await total()).toBe(before + 2);
    const read = await post(`/api/v1/conversaciones/${ANA}/leido`);
    expect(read.json<{ conversacion: ConversationEntry }>().conversacion.no_leidos).toBe(0);
    expect(await total()).toBe(before - 2);
    await storeTexts(database, ANA, ['una más']);
    await answer(database);
    expect((await entryOf(ANA)).no_leidos).toBe(1);
  });

  it('mark-read up to a given message leaves the newer ones unread', async () => {
    const database = ctx.database();
    await storeTexts(database, VENTANA, ['uno', 'dos', 'tres'], seconds(Date.now() - 23 * HOUR) + 60);
    await answer(database);
    const ids = await database.kysely
      .selectFrom('conversaciones_whatsapp')
      .select('id')
      .where('from_number', '=', VENTANA)
      .orderBy('id')
      .execute();
    const read = await post(`/api/v1/conversaciones/${VENTANA}/leido`, carla.headers, { hasta_id: ids[1]?.id });
    expect(read.json<{ conversacion: ConversationEntry }>().conversacion.no_leidos).toBe(2);
  });
});

describeEachDatabase('the inbox list pages by cursor', ({ fresh }) => {
  const ctx = useMigratedApp(fresh);

  it('without duplicates or gaps while new messages arrive, and through times that differ by microseconds', async () => {
    const database = ctx.database();
    const headers = await bearer(database);
    const numbers = Array.from({ length: 9 }, (_, i) => `58416000000${i}`);
    // Three share a millisecond (microseconds apart), as rows written by the Python system do.
    const at = (micros: string) => `2026-01-01 10:00:00.${micros}` as unknown as Date;
    await database.kysely
      .insertInto('whatsapp_conversaciones')
      .values(
        numbers.map((wa_number, i) => ({
          wa_number,
          ultimo_entrante_en: i < 3 ? at(['123100', '123400', '123700'][i] as string) : new Date(Date.UTC(2026, 0, 1, 11 + i)),
        })),
      )
      .execute();
    const seen: string[] = [];
    let cursor: string | null = null;
    let page = 0;
    do {
      const url: string = `/api/v1/conversaciones?limite=2${cursor ? `&cursor=${cursor}` : ''}`;
      const body: ConversationList = (await ctx.app().inject({ url, headers })).json<ConversationList>();
      seen.push(...body.conversaciones.map((c) => c.wa_number));
      cursor = body.cursor_siguiente;
      // Meanwhile a conversation already seen gets a new message: it moves to the top, not into a later page.
      if (page++ === 1) {
        await database.kysely
          .updateTable('whatsapp_conversaciones')
          .set({ ultimo_entrante_en: new Date() })
          .where('wa_number', '=', seen[0] as string)
          .execute();
      }
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort()).toEqual([...numbers].sort());
    expect((await ctx.app().inject({ url: '/api/v1/conversaciones?cursor=bm9wZQ', headers })).statusCode).toBe(400);
  });
});
