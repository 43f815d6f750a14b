import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { LiveEventHub, pruneOldEvents } from '../../src/api/live-events.service.js';
import type { LiveEvent } from '../../src/api/events.schemas.js';
import { recordEvents } from '../../src/conversations/events.repository.js';
import type { Database } from '../../src/db/database.js';
import { bearer } from '../helpers/auth.js';
import { insertMessages, postSigned, textsFrom } from '../helpers/messages.js';
import { migratorFor } from '../helpers/migrations.js';
import { BUSINESS_NUMBER, notification, status } from '../helpers/payloads.js';
import { describeEachDatabase } from '../helpers/test-database.js';
import { testApp } from '../helpers/webhook.js';

/** Opening and migrating a database (PGlite above all) takes long on a busy machine. */
const SLOW_START = 300_000;

/** One SSE message as a browser's EventSource sees it. */
interface Frame {
  id?: string;
  event?: string;
  data?: string;
  retry?: string;
  comment?: string;
}

/** An SSE stream read with fetch over a real connection: the frames so far, and waiting for one. */
interface Stream {
  status: number;
  contentType: string | null;
  frames: Frame[];
  /** Resolves with the first frame (already received or to come) that `match` accepts, or rejects after `ms`. */
  next(match: (frame: Frame) => boolean, ms?: number): Promise<Frame>;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  close(): void;
}

async function openStream(baseUrl: string, headers: Record<string, string>, query = ''): Promise<Stream> {
  const abort = new AbortController();
  const response = await fetch(`${baseUrl}/api/v1/eventos${query}`, { headers, signal: abort.signal });
  const frames: Frame[] = [];
  const waiters: (() => void)[] = [];
  const ended = (async () => {
    if (!response.body) return;
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of response.body) {
        buffer += decoder.decode(chunk as Uint8Array, { stream: true });
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const frame: Frame = {};
          for (const line of buffer.slice(0, cut).split('\n')) {
            if (line.startsWith(':')) frame.comment = line.slice(1).trim();
            else {
              const colon = line.indexOf(':');
              const field = line.slice(0, colon) as keyof Frame;
              frame[field] = line.slice(colon + 1).replace(/^ /, '');
            }
          }
          buffer = buffer.slice(cut + 2);
          frames.push(frame);
          for (const wake of waiters.splice(0)) wake();
        }
      }
    } catch {
      // aborted by close()
    }
  })();
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    frames,
    ended,
    close: () => abort.abort(),
    next: (match, ms = 1000) =>
      new Promise<Frame>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no matching event within ${ms} ms; got ${JSON.stringify(frames)}`)), ms);
        const look = (): void => {
          const found = frames.find(match);
          if (found) {
            clearTimeout(timer);
            resolve(found);
          } else waiters.push(look);
        };
        look();
      }),
  };
}

const data = (frame: Frame): LiveEvent => (frame.data === undefined ? ({} as LiveEvent) : (JSON.parse(frame.data) as LiveEvent));
const eventsOf = (stream: Stream) => stream.frames.filter((f) => f.event !== undefined && f.event !== 'reinicio').map(data);

describeEachDatabase('live events of the inbox (GET /api/v1/eventos)', ({ fresh }) => {
  let database: Database;
  let app: FastifyInstance;
  let baseUrl: string;
  let auth: { authorization: string };
  const streams: Stream[] = [];
  const stream = async (headers: Record<string, string> = {}, query = ''): Promise<Stream> => {
    const opened = await openStream(baseUrl, { ...auth, ...headers }, query);
    streams.push(opened);
    // Connected once the preamble (`retry:`) is there.
    await opened.next((f) => f.retry !== undefined);
    return opened;
  };

  beforeAll(async () => {
    database = await (await fresh()).open();
    await migratorFor(database).migrator.upgrade('head');
    app = await testApp(database);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    auth = await bearer(database);
  }, SLOW_START);
  afterAll(async () => {
    for (const s of streams) s.close();
    await app?.close();
    await database?.close();
  });

  it('refuses a caller who is not signed in (401), and says which header or parameter is wrong (400)', async () => {
    const anonymous = await fetch(`${baseUrl}/api/v1/eventos`);
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as { error: { code: string } }).error.code).toBe('AUTH_REQUIRED');
    const badHeader = await app.inject({ url: '/api/v1/eventos', headers: { ...auth, 'last-event-id': 'abc' } });
    expect(badHeader.statusCode).toBe(400);
    expect(badHeader.json<{ error: { message: string } }>().error.message).toMatch(/last-event-id/);
    const badQuery = await app.inject({ url: '/api/v1/eventos?desde=-1', headers: auth });
    expect(badQuery.statusCode).toBe(400);
    expect(badQuery.json<{ error: { message: string } }>().error.message).toMatch(/desde/);
  });

  it('pushes a message that arrives through the webhook to an open stream within a second', async () => {
    const live = await stream();
    expect(live.status).toBe(200);
    expect(live.contentType).toMatch(/^text\/event-stream/);
    const number = '584121110001';
    expect((await postSigned(baseUrl, textsFrom(number, ['hola']))).status).toBe(200);
    // Within a second of the webhook's 200 (the message committed); on a busy machine the 200 itself can take a while.
    const frame = await live.next((f) => f.event === 'mensaje' && data(f).wa_number === number, 1000);
    const row = await database.kysely
      .selectFrom('conversaciones_whatsapp')
      .select('id')
      .where('from_number', '=', number)
      .executeTakeFirstOrThrow();
    expect(data(frame)).toMatchObject({ tipo: 'mensaje', wa_number: number, conversacion_id: row.id, datos: { direccion: 'INBOUND' } });
    expect(frame.id).toBe(String(data(frame).id));
    live.close();
  });

  it('gives a redelivered message no second event', async () => {
    const live = await stream();
    const number = '584121110002';
    const payload = textsFrom(number, ['uno']);
    await postSigned(baseUrl, payload);
    await live.next((f) => f.event === 'mensaje' && data(f).wa_number === number);
    await postSigned(baseUrl, payload);
    const marker = '584121110003';
    await postSigned(baseUrl, textsFrom(marker, ['después']));
    await live.next((f) => f.event === 'mensaje' && data(f).wa_number === marker);
    expect(eventsOf(live).filter((e) => e.wa_number === number)).toHaveLength(1);
    live.close();
  });

  it('pushes a delivery status of an outbound message', async () => {
    const number = '584121110004';
    await insertMessages(database, {
      message_id: 'wamid.live-status-1',
      from_number: BUSINESS_NUMBER,
      to_number: number,
      direccion: 'OUTBOUND',
      procesado: true,
    });
    const live = await stream();
    await postSigned(baseUrl, notification([], { statuses: [status('wamid.live-status-1', 'delivered', Math.floor(Date.now() / 1000))] }));
    const frame = await live.next((f) => f.event === 'estado' && data(f).wa_number === number);
    expect(data(frame).datos).toEqual({ status: 'delivered' });
    live.close();
  });

  it('pushes an agent taking a conversation over, and an agent message', async () => {
    const number = '584121110005';
    await postSigned(baseUrl, textsFrom(number, ['necesito ayuda']));
    await database.kysely.insertInto('whatsapp_conversaciones').values({ wa_number: number, ultimo_entrante_en: new Date() }).execute();
    const live = await stream();
    const taken = await fetch(`${baseUrl}/api/v1/conversaciones/${number}/tomar`, { method: 'POST', headers: auth });
    expect(taken.status).toBe(200);
    const frame = await live.next((f) => f.event === 'conversacion' && data(f).wa_number === number);
    expect(data(frame).datos).toEqual({ cambio: 'tomada' });
    const sent = await fetch(`${baseUrl}/api/v1/conversaciones-whatsapp/enviar-mensaje`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ to_number: number, message: 'Hola, soy Ana' }),
    });
    expect(sent.status).toBe(201);
    const id = ((await sent.json()) as { conversacion: { id: number } }).conversacion.id;
    const message = await live.next((f) => f.event === 'mensaje' && data(f).conversacion_id === id);
    expect(data(message).datos).toEqual({ direccion: 'OUTBOUND' });
    live.close();
  });

  it('replays exactly the events after Last-Event-ID (or ?desde=), then goes on live', async () => {
    for (const [round, via] of (['last-event-id', 'desde'] as const).entries()) {
      const number = (n: number) => `58412111${round}0${n}`;
      await recordEvents(database.kysely, database.support, [{ tipo: 'conversacion', wa_number: number(0), datos: { cambio: 'leida' } }]);
      const newest = await database.kysely
        .selectFrom('whatsapp_eventos')
        .select((eb) => eb.fn.max('id').as('id'))
        .executeTakeFirstOrThrow();
      const lastSeen = Number(newest.id);
      await recordEvents(database.kysely, database.support, [
        { tipo: 'mensaje', wa_number: number(1), conversacion_id: 1 },
        { tipo: 'estado', wa_number: number(2), conversacion_id: 2, datos: { status: 'read' } },
      ]);
      const again = via === 'last-event-id' ? await stream({ 'last-event-id': String(lastSeen) }) : await stream({}, `?desde=${lastSeen}`);
      await again.next((f) => f.event === 'estado' && data(f).wa_number === number(2));
      expect(eventsOf(again).map((e) => [e.id, e.wa_number, e.tipo])).toEqual([
        [lastSeen + 1, number(1), 'mensaje'],
        [lastSeen + 2, number(2), 'estado'],
      ]);
      await recordEvents(database.kysely, database.support, [{ tipo: 'conversacion', wa_number: number(3) }]);
      await again.next((f) => f.event !== undefined && data(f).wa_number === number(3));
      expect(eventsOf(again).map((e) => e.wa_number)).toEqual([number(1), number(2), number(3)]);
      again.close();
    }
  });

  it('tells a browser whose Last-Event-ID was deleted already to reload (reinicio)', async () => {
    await recordEvents(database.kysely, database.support, [{ tipo: 'mensaje', wa_number: '584121110020' }]);
    const { id } = await database.kysely
      .selectFrom('whatsapp_eventos')
      .select((eb) => eb.fn.min('id').as('id'))
      .executeTakeFirstOrThrow();
    await database.kysely
      .deleteFrom('whatsapp_eventos')
      .where('id', '<=', Number(id) + 1)
      .execute();
    const late = await stream({ 'last-event-id': String(id) });
    const frame = await late.next((f) => f.event === 'reinicio');
    expect(JSON.parse(frame.data ?? '')).toMatchObject({ motivo: 'eventos_borrados' });
    expect(Number(frame.id)).toBe((JSON.parse(frame.data ?? '') as { ultimo_id: number }).ultimo_id);
    const unknown = await stream({ 'last-event-id': '2000000000' });
    expect(JSON.parse((await unknown.next((f) => f.event === 'reinicio')).data ?? '')).toMatchObject({ motivo: 'id_desconocido' });
    late.close();
    unknown.close();
  });
});

describeEachDatabase('live events: the hub and pruning', ({ fresh, engine }) => {
  let database: Database;
  beforeAll(async () => {
    database = await (await fresh()).open();
    await migratorFor(database).migrator.upgrade('head');
  }, SLOW_START);
  afterAll(async () => {
    await database?.close();
  });

  const newestId = async (): Promise<number> =>
    Number(
      (
        await database.kysely
          .selectFrom('whatsapp_eventos')
          .select((eb) => eb.fn.max('id').as('id'))
          .executeTakeFirstOrThrow()
      ).id ?? 0,
    );

  it('delivers an event whose id is lower than one delivered before, when it commits later (explicit ids)', async () => {
    const hub = new LiveEventHub(database, { gapRereadMs: 60_000, fallbackPollMs: 60_000 });
    const got: LiveEvent[] = [];
    await hub.subscribe((events) => got.push(...events));
    const base = (await newestId()) + 10;
    await database.kysely
      .insertInto('whatsapp_eventos')
      .values({ id: base + 2, tipo: 'mensaje', wa_number: 'b' })
      .execute();
    hub.wake();
    await hub.settled();
    expect(got.map((e) => e.id)).toEqual([base + 2]);
    await database.kysely
      .insertInto('whatsapp_eventos')
      .values({ id: base + 1, tipo: 'mensaje', wa_number: 'a' })
      .execute();
    hub.wake();
    await hub.settled();
    hub.wake();
    await hub.settled();
    expect(got.map((e) => e.id)).toEqual([base + 2, base + 1]);
    await hub.close();
  });

  it.skipIf(engine === 'pglite')('delivers both of two transactions when the one with the higher id commits first', async () => {
    const hub = new LiveEventHub(database, { gapRereadMs: 60_000, fallbackPollMs: 60_000 });
    const got: LiveEvent[] = [];
    await hub.subscribe((events) => got.push(...events));
    const first = await database.kysely.startTransaction().execute();
    const second = await database.kysely.startTransaction().execute();
    try {
      await recordEvents(first, database.support, [{ tipo: 'mensaje', wa_number: 'primera' }]);
      await recordEvents(second, database.support, [{ tipo: 'mensaje', wa_number: 'segunda' }]);
      await second.commit().execute();
    } catch (error) {
      await first.rollback().execute();
      throw error;
    }
    hub.wake();
    await hub.settled();
    expect(got.map((e) => e.wa_number)).toEqual(['segunda']);
    await first.commit().execute();
    hub.wake();
    await hub.settled();
    expect(got.map((e) => e.wa_number)).toEqual(['segunda', 'primera']);
    expect((got[1] as LiveEvent).id).toBeLessThan((got[0] as LiveEvent).id);
    await hub.close();
  });

  it('is woken by the database when another connection commits an event (no explicit wake)', async () => {
    const hub = new LiveEventHub(database, { fallbackPollMs: 60_000 });
    const got: LiveEvent[] = [];
    await hub.subscribe((events) => got.push(...events));
    await database.kysely.transaction().execute((trx) => recordEvents(trx, database.support, [{ tipo: 'estado', wa_number: 'woken' }]));
    await expect.poll(() => got.map((e) => e.wa_number), { timeout: 1000, interval: 20 }).toEqual(['woken']);
    await hub.close();
  });

  it('deletes only the events older than the time kept, and always keeps the newest', async () => {
    await database.kysely.deleteFrom('whatsapp_eventos').execute();
    const hour = 3_600_000;
    const now = Date.now();
    await database.kysely
      .insertInto('whatsapp_eventos')
      .values([
        { tipo: 'mensaje', wa_number: 'viejo-1', creado_en: new Date(now - 50 * hour) },
        { tipo: 'mensaje', wa_number: 'viejo-2', creado_en: new Date(now - 49 * hour) },
        { tipo: 'mensaje', wa_number: 'reciente', creado_en: new Date(now - 47 * hour) },
      ])
      .execute();
    expect(await pruneOldEvents(database, 48 * hour, now)).toBe(2);
    const left = await database.kysely.selectFrom('whatsapp_eventos').select('wa_number').execute();
    expect(left.map((r) => r.wa_number)).toEqual(['reciente']);
    // Everything is old now, but the newest stays (it tells a reconnecting browser what it missed).
    expect(await pruneOldEvents(database, hour, now)).toBe(0);
    expect(await pruneOldEvents(database, hour, now + 100 * hour)).toBe(0);
    expect(await database.kysely.selectFrom('whatsapp_eventos').select('wa_number').execute()).toHaveLength(1);
  });
});

describeEachDatabase('live events: stopping the server', ({ fresh }) => {
  it(
    'ends open streams when the server closes, promptly',
    async () => {
      const database = await (await fresh()).open();
      await migratorFor(database).migrator.upgrade('head');
      const app = await testApp(database);
      await app.listen({ port: 0, host: '127.0.0.1' });
      const address = app.server.address();
      const baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
      const live = await openStream(baseUrl, await bearer(database));
      await live.next((f) => f.retry !== undefined);
      const started = Date.now();
      await app.close();
      await live.ended;
      expect(Date.now() - started).toBeLessThan(2000);
      await database.close();
    },
    SLOW_START,
  );
});
