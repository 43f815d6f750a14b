import cookie from '@fastify/cookie';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { createAgent } from '../../src/auth/agents.repository.js';
import type { Database } from '../../src/db/database.js';
import { checkCookieRequestOrigin } from '../../src/http/authentication.js';
import { installErrorHandler, type ErrorBody } from '../../src/http/error-handler.js';
import { bearer } from '../helpers/auth.js';
import { describeEachDatabase } from '../helpers/test-database.js';
import { testApp, useMigratedApp } from '../helpers/webhook.js';

const PASSWORD = 'correcto-caballo-bateria';
const NUMBER = '584121234567';
const HOST = 'charla.example.com';
const OWN = { host: HOST, origin: `https://${HOST}` };
const EVIL = { host: HOST, origin: 'https://evil.example' };

async function seed(database: Database): Promise<void> {
  await createAgent(database.kysely, database.support, { email: 'ana@example.com', nombre: 'Ana', password: PASSWORD, rol: 'admin' });
  await database.kysely.insertInto('whatsapp_conversaciones').values({ wa_number: NUMBER, ultimo_entrante_en: new Date() }).execute();
}

describeEachDatabase('changes signed in by the session cookie from another site', ({ fresh }) => {
  const ctx = useMigratedApp(fresh, seed);
  let session: string | undefined;
  const cookieOf = async () => {
    if (!session) {
      const response = await ctx.app().inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: 'ana@example.com', password: PASSWORD },
      });
      expect(response.statusCode, response.body).toBe(200);
      session = response.json<{ token: string }>().token;
    }
    return { charla_sesion: session };
  };
  const mode = async () =>
    (
      await ctx
        .database()
        .kysely.selectFrom('whatsapp_conversaciones')
        .select('modo')
        .where('wa_number', '=', NUMBER)
        .executeTakeFirstOrThrow()
    ).modo;
  const tokenNames = async () =>
    (await ctx.database().kysely.selectFrom('charla_tokens_api').select('nombre').orderBy('id').execute()).map((t) => t.nombre);
  const take = async (headers: Record<string, string>) =>
    ctx.app().inject({ method: 'POST', url: `/api/v1/conversaciones/${NUMBER}/tomar`, cookies: await cookieOf(), headers });
  const expectRejected = (response: { statusCode: number; json: <T>() => T }) => {
    expect(response.statusCode).toBe(403);
    expect(response.json<ErrorBody>().error.code).toBe('ORIGIN_REJECTED');
  };

  it('refuses taking a conversation from a foreign page (Origin or Sec-Fetch-Site) and changes nothing; accepts its own page', async () => {
    const foreign: Record<string, string>[] = [
      EVIL,
      { host: HOST, origin: `https://${HOST}:8443` },
      { host: HOST, origin: 'null' },
      { host: HOST, 'sec-fetch-site': 'cross-site' },
      { host: HOST, 'sec-fetch-site': 'same-site' },
      { ...OWN, 'sec-fetch-site': 'cross-site' },
    ];
    for (const headers of foreign) {
      expectRejected(await take(headers));
      expect(await mode()).toBe('bot');
    }
    const own = await take({ ...OWN, 'sec-fetch-site': 'same-origin' });
    expect(own.statusCode, own.body).toBe(200);
    expect(await mode()).toBe('agente');
  });

  it('lets through cookie requests with neither header (curl), with Sec-Fetch-Site none, and with the default port spelled out', async () => {
    const passing: Record<string, string>[] = [
      {},
      { 'sec-fetch-site': 'none' },
      { host: `${HOST}:443`, origin: `https://${HOST}` },
      { host: 'localhost:3000', origin: 'http://localhost:3000' },
    ];
    for (const headers of passing) {
      await ctx.database().kysely.updateTable('whatsapp_conversaciones').set({ modo: 'bot' }).where('wa_number', '=', NUMBER).execute();
      const response = await take(headers);
      expect(response.statusCode, `${JSON.stringify(headers)} ${response.body}`).toBe(200);
      expect(await mode()).toBe('agente');
    }
  });

  it('refuses creating or revoking an API token from a foreign page, not with a bearer token, and not for reads', async () => {
    const before = await tokenNames();
    const create = async (headers: Record<string, string>, nombre: string, credentials: 'cookie' | 'bearer' = 'cookie') =>
      ctx.app().inject({
        method: 'POST',
        url: '/api/v1/tokens',
        payload: { nombre },
        ...(credentials === 'cookie'
          ? { cookies: await cookieOf(), headers }
          : { headers: { ...headers, ...(await bearer(ctx.database(), 'admin')) } }),
      });
    expectRejected(await create(EVIL, 'desde otro sitio'));
    expectRejected(await create({ host: HOST, 'sec-fetch-site': 'cross-site' }, 'desde otro sitio'));
    expect(await tokenNames()).toEqual(before);

    const own = await create(OWN, 'desde la página');
    expect(own.statusCode, own.body).toBe(201);
    const withBearer = await create(EVIL, 'por API', 'bearer');
    expect(withBearer.statusCode, withBearer.body).toBe(201);
    expect(await tokenNames()).toEqual([...before, 'desde la página', 'test admin', 'por API']);

    const id = own.json<{ id: number }>().id;
    expectRejected(await ctx.app().inject({ method: 'DELETE', url: `/api/v1/tokens/${id}`, cookies: await cookieOf(), headers: EVIL }));
    const stillActive = await ctx
      .database()
      .kysely.selectFrom('charla_tokens_api')
      .select('revocado_en')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(stillActive.revocado_en).toBeNull();

    const ana = await ctx
      .database()
      .kysely.selectFrom('charla_agentes')
      .select('id')
      .where('email', '=', 'ana@example.com')
      .executeTakeFirstOrThrow();
    expectRejected(
      await ctx.app().inject({
        method: 'PATCH',
        url: `/api/v1/agentes/${ana.id}`,
        cookies: await cookieOf(),
        headers: EVIL,
        payload: { nombre: 'Mallory' },
      }),
    );
    const name = await ctx
      .database()
      .kysely.selectFrom('charla_agentes')
      .select('nombre')
      .where('id', '=', ana.id)
      .executeTakeFirstOrThrow();
    expect(name.nombre).toBe('Ana');

    // Reads are not changes: a foreign Origin on a GET is not refused here (CORS keeps the answer from that page).
    expect((await ctx.app().inject({ url: '/api/v1/agentes', cookies: await cookieOf(), headers: EVIL })).statusCode).toBe(200);
  });

  it('refuses signing out from a foreign page; the session stays', async () => {
    const logout = async (headers: Record<string, string>) =>
      ctx.app().inject({ method: 'POST', url: '/api/v1/auth/logout', cookies: await cookieOf(), headers });
    expectRejected(await logout(EVIL));
    expect((await ctx.app().inject({ url: '/api/v1/auth/me', cookies: await cookieOf() })).statusCode).toBe(200);
  });

  it('accepts PUBLIC_URL as the own origin when it is configured (a proxy that rewrites Host)', async () => {
    const behind = await testApp(ctx.database(), { PUBLIC_URL: `https://${HOST}` });
    try {
      const login = (origin: string) =>
        behind.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          payload: { email: 'ana@example.com', password: PASSWORD },
          headers: { host: '10.0.0.7:3000', origin },
          remoteAddress: '10.2.0.1',
        });
      expect((await login(`https://${HOST}`)).statusCode).toBe(200);
      expectRejected(await login('https://evil.example'));
    } finally {
      await behind.close();
    }
  });
});

describe('the cookie origin check, with PUBLIC_URL', () => {
  it('accepts the request host and PUBLIC_URL, refuses others, and lets bearer requests and reads through', async () => {
    const app = Fastify();
    installErrorHandler(app);
    await app.register(cookie);
    app.addHook('onRequest', async (request) => checkCookieRequestOrigin(request, `https://${HOST}`));
    app.all('/change', async () => ({ ok: true }));
    try {
      const send = (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', headers: Record<string, string>, signedIn = 'cookie') =>
        app.inject({
          method,
          url: '/change',
          headers: { host: '10.0.0.7:3000', ...headers, ...(signedIn === 'bearer' ? { authorization: 'Bearer cht_x' } : {}) },
          cookies: { charla_sesion: 'chs_x' },
        });
      for (const method of ['POST', 'PUT', 'PATCH', 'DELETE'] as const) {
        expect((await send(method, { origin: `https://${HOST}` })).statusCode).toBe(200);
        expect((await send(method, { origin: 'http://10.0.0.7:3000' })).statusCode).toBe(200);
        expect((await send(method, {})).statusCode).toBe(200);
        expect((await send(method, { origin: 'https://evil.example' })).statusCode).toBe(403);
        expect((await send(method, { origin: `https://${HOST}.evil.example` })).statusCode).toBe(403);
        expect((await send(method, { 'sec-fetch-site': 'cross-site' })).statusCode).toBe(403);
        expect((await send(method, { origin: 'https://evil.example' }, 'bearer')).statusCode).toBe(200);
      }
      expect((await send('GET', { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' })).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });
});
