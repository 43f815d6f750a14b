import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../src/db/database.js';
import type { ErrorBody } from '../../src/http/error-handler.js';
import { bearer } from '../helpers/auth.js';
import { insertMessages } from '../helpers/messages.js';
import { describeEachDatabase } from '../helpers/test-database.js';
import { useMigratedApp } from '../helpers/webhook.js';

const API = '/api/v1/conversaciones-whatsapp';
const ANA = '584121234567';
const cursorOf = (id: number) => Buffer.from(`r${id}`).toString('base64url');

describeEachDatabase('CRM API: bad input is a 4xx with the catalogue’s code, never a 500', ({ fresh }) => {
  const context = useMigratedApp(fresh, async (database) => {
    await insertMessages(database, { from_number: ANA });
    await database.kysely.insertInto('whatsapp_conversaciones').values({ wa_number: ANA, ultimo_entrante_en: new Date() }).execute();
  });
  let app: FastifyInstance;
  let database: Database;
  let headers: { authorization: string };
  beforeAll(async () => {
    app = context.app();
    database = context.database();
    headers = await bearer(database, 'agente');
  });
  const get = (url: string) => app.inject({ url, headers });

  it('refuses ids, pages and cursors beyond 2³¹ − 1 and repeated parameters with 400 naming the problem', async () => {
    for (const url of [
      `${API}/2147483648`,
      `${API}/99999999999999999999`,
      `${API}/cliente/2147483648`,
      `${API}?cliente_id=2147483648`,
      `${API}?page=1e300`,
      `${API}?cursor=${cursorOf(9_999_999_999)}`,
      `${API}?page=1&page=2`,
      `${API}?from_number=${ANA}&from_number=${ANA}`,
      `${API}?direccion=INBOUND&direccion=OUTBOUND`,
      `/api/v1/conversaciones?limite=1&limite=2`,
    ]) {
      const response = await get(url);
      expect({ url, status: response.statusCode }).toEqual({ url, status: 400 });
      expect(response.json<ErrorBody>().error.code).toBe('HTTP_BAD_REQUEST');
    }
    expect((await get(`${API}/2147483647`)).statusCode).toBe(404);
  });

  it('refuses enviar-mensaje to a cliente_id that does not exist with 422, storing nothing', async () => {
    const count = async () =>
      Number(
        (
          await database.kysely
            .selectFrom('whatsapp_envios')
            .select((eb) => eb.fn.countAll<string>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await count();
    const response = await app.inject({
      method: 'POST',
      url: `${API}/enviar-mensaje`,
      headers,
      payload: { to_number: ANA, message: 'hola', cliente_id: 424242 },
    });
    expect(response.statusCode).toBe(422);
    expect(response.json<ErrorBody>().error.code).toBe('CUSTOMER_UNKNOWN');
    expect(await count()).toBe(before);
  });

  it('refuses a message with a NUL character with 400', async () => {
    const response = await app.inject({
      method: 'POST',
      url: `${API}/enviar-mensaje`,
      headers,
      payload: { to_number: ANA, message: 'ho\u0000la' },
    });
    expect(response.statusCode).toBe(400);
  });
});

describeEachDatabase('reads never break on odd stored values', ({ fresh, engine }) => {
  const NUMBER = '584149990000';
  // Values another system could have written: beyond year 9999 and infinity on PostgreSQL, a zero date on MariaDB.
  const odd = engine === 'mysql' ? ["'0000-00-00 00:00:00'"] : ["'10000-01-01 00:00:00'", "'infinity'", "'0044-03-15 12:00:00 BC'"];
  const context = useMigratedApp(fresh, async (database) => {
    if (engine === 'mysql') await sql`set session sql_mode = ''`.execute(database.kysely);
    for (const [i, value] of odd.entries()) {
      await sql`insert into conversaciones_whatsapp (message_id, from_number, to_number, message_type, body, timestamp, direccion, procesado)
        values (${`wamid.odd-${i}`}, ${NUMBER}, '15550000000', 'text', ${'raro'}, ${sql.raw(value)}, 'INBOUND', ${true})`.execute(
        database.kysely,
      );
    }
    await sql`insert into whatsapp_conversaciones (wa_number, ultimo_entrante_en) values (${NUMBER}, ${sql.raw(odd[0] as string)})`.execute(
      database.kysely,
    );
  });

  it('answers the listing, the number view, one message and the inbox with 200, odd dates as ISO 8601 or null', async () => {
    const headers = await bearer(context.database(), 'agente');
    const listing = await context.app().inject({ url: API, headers });
    expect(listing.statusCode).toBe(200);
    const timestamps = listing.json<{ conversaciones: { timestamp: string | null }[] }>().conversaciones.map((r) => r.timestamp);
    expect(timestamps).toHaveLength(odd.length);
    if (engine !== 'mysql') expect(timestamps).toContain('+010000-01-01T00:00:00.000Z');
    if (engine !== 'mysql') expect(timestamps).toContain(null);
    if (engine !== 'mysql') expect(timestamps).toContain('-000043-03-15T12:00:00.000Z');
    for (const url of [
      `${API}/numero/${NUMBER}`,
      `${API}?from_number=${NUMBER}`,
      `${API}/1`,
      '/api/v1/conversaciones',
      `/api/v1/conversaciones/${NUMBER}`,
    ]) {
      const response = await context.app().inject({ url, headers });
      expect({ url, status: response.statusCode }).toEqual({ url, status: 200 });
    }
  });
});
