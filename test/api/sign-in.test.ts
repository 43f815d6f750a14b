import { expect, it } from 'vitest';
import { createAgent } from '../../src/auth/agents.repository.js';
import type { Principal } from '../../src/auth/auth.repository.js';
import type { ErrorBody } from '../../src/http/error-handler.js';
import { createLoginLimiter, FAILURES_PER_ACCOUNT } from '../../src/auth/login-limiter.js';
import { buildApp } from '../../src/http/app.js';
import { bearer } from '../helpers/auth.js';
import { describeEachDatabase } from '../helpers/test-database.js';
import { testApp, testConfig, useMigratedApp } from '../helpers/webhook.js';

const PASSWORD = 'correcto-caballo-bateria';

interface AgentBody {
  agente: { id: number; email: string; nombre: string; rol: string; activo: boolean };
}

describeEachDatabase('signing in', ({ fresh }) => {
  const ctx = useMigratedApp(fresh, async (database) => {
    await createAgent(database.kysely, database.support, {
      email: 'Carla@Example.com',
      nombre: 'Carla',
      password: PASSWORD,
      rol: 'agente',
    });
  });
  const login = (email: string, password: string, ip = '10.0.0.1') =>
    ctx.app().inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password }, remoteAddress: ip });

  it('opens a session usable as a cookie (web) and as a bearer token (API), and closes it', async () => {
    const db = ctx.database().kysely;
    const carla = await db.selectFrom('charla_agentes').select('id').where('email', '=', 'carla@example.com').executeTakeFirstOrThrow();
    await db
      .insertInto('charla_sesiones')
      .values({ token_hash: 'f'.repeat(64), agente_id: carla.id, expira_en: new Date(Date.now() - 1000) })
      .execute();
    const response = await login('carla@example.com', PASSWORD);
    expect(response.statusCode).toBe(200);
    // Signing in clears the agent's expired sessions.
    expect(await db.selectFrom('charla_sesiones').select('token_hash').where('token_hash', '=', 'f'.repeat(64)).execute()).toEqual([]);
    const { token, agente } = response.json<{ token: string; agente: Principal }>();
    expect(agente).toMatchObject({ kind: 'agent', name: 'Carla', email: 'carla@example.com', role: 'agente' });
    const cookie = response.cookies.find((c) => c.name === 'charla_sesion');
    expect(cookie).toMatchObject({ value: token, httpOnly: true, sameSite: 'Strict', path: '/' });
    const stored = await db.selectFrom('charla_sesiones').select('token_hash').execute();
    expect(stored.map((s) => s.token_hash)).not.toContain(token);

    const byCookie = await ctx.app().inject({ url: '/api/v1/auth/me', cookies: { charla_sesion: token } });
    expect(byCookie.json<{ principal: Principal }>().principal).toMatchObject({ name: 'Carla' });
    const byBearer = await ctx.app().inject({ url: '/api/v1/conversaciones-whatsapp', headers: { authorization: `Bearer ${token}` } });
    expect(byBearer.statusCode).toBe(200);

    expect(
      (await ctx.app().inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { authorization: `Bearer ${token}` } })).statusCode,
    ).toBe(204);
    expect((await ctx.app().inject({ url: '/api/v1/auth/me', cookies: { charla_sesion: token } })).statusCode).toBe(401);
  });

  it('refuses a wrong password and an unknown e-mail alike, and stops guessing after 5 failures', async () => {
    const wrong = await login('carla@example.com', 'incorrecto-1234', '10.0.0.2');
    const unknown = await login('nadie@example.com', 'incorrecto-1234', '10.0.0.2');
    for (const response of [wrong, unknown]) {
      expect(response.statusCode).toBe(401);
      expect(response.json<ErrorBody>().error).toEqual({ code: 'LOGIN_FAILED', message: 'Wrong e-mail or password.' });
    }
    for (let i = 1; i < FAILURES_PER_ACCOUNT; i++)
      expect((await login('carla@example.com', `incorrecto-${i}x`, '10.0.0.2')).statusCode).toBe(401);
    const blocked = await login('carla@example.com', PASSWORD, '10.0.0.2');
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json<ErrorBody>().error.code).toBe('LOGIN_RATE_LIMITED');
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    // Another address is not blocked by these failures.
    expect((await login('carla@example.com', PASSWORD, '10.0.0.3')).statusCode).toBe(200);
  });

  it('counts attempts sent at the same moment: of 40 wrong passwords and the right one, at most 5 are checked', async () => {
    const ip = '10.0.1.1';
    const passwords = Array.from({ length: 40 }, (_, i) => `incorrecto-${i}z`);
    passwords.splice(17, 0, PASSWORD);
    const responses = await Promise.all(passwords.map((password) => login('carla@example.com', password, ip)));
    const checked = responses.filter((r) => r.statusCode === 200 || r.statusCode === 401);
    const refused = responses.filter((r) => r.statusCode === 429);
    expect(checked.length).toBeGreaterThan(0);
    expect(checked.length).toBeLessThanOrEqual(FAILURES_PER_ACCOUNT);
    expect(checked.length + refused.length).toBe(passwords.length);
    for (const response of refused) {
      expect(response.json<ErrorBody>().error.code).toBe('LOGIN_RATE_LIMITED');
      expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
    }
    // The burst used up the e-mail's attempts from this address: the right password is refused now.
    const after = await login('carla@example.com', PASSWORD, ip);
    expect(after.statusCode).toBe(429);
    expect(after.json<ErrorBody>().error.code).toBe('LOGIN_RATE_LIMITED');
  });

  it('counts attempts from one address sent at the same moment (limit 6 here): at most 6 of 16 e-mails are checked', async () => {
    // A smaller per-address limit than the real 30, so that the test does not hash 30 passwords.
    const perAddress = 6;
    const loginLimiter = createLoginLimiter(ctx.database(), { perAddress });
    const app = await buildApp({ config: testConfig(), database: ctx.database(), loginLimiter, logger: false });
    try {
      const attempt = (email: string, password: string) =>
        app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password }, remoteAddress: '10.0.1.2' });
      const responses = await Promise.all(
        Array.from({ length: perAddress + 10 }, (_, i) => attempt(`nadie${i}@example.com`, 'incorrecto-1234')),
      );
      const statuses = responses.map((r) => r.statusCode);
      expect(statuses.filter((status) => status === 401).length).toBeGreaterThan(0);
      expect(statuses.filter((status) => status === 401).length).toBeLessThanOrEqual(perAddress);
      expect(statuses.filter((status) => status !== 401 && status !== 429)).toEqual([]);
      expect((await attempt('carla@example.com', PASSWORD)).statusCode).toBe(429);
    } finally {
      await app.close();
    }
  });

  it('does not count successful sign-ins as failures', async () => {
    for (let i = 0; i <= FAILURES_PER_ACCOUNT; i++) expect((await login('carla@example.com', PASSWORD, '10.0.1.3')).statusCode).toBe(200);
    expect((await login('carla@example.com', 'incorrecto-1234', '10.0.1.3')).statusCode).toBe(401);
    expect((await login('carla@example.com', PASSWORD, '10.0.1.3')).statusCode).toBe(200);
  });

  it('refuses an e-mail or password no column could hold with 400, not a database error', async () => {
    for (const payload of [
      { email: 'carla\u0000@example.com', password: PASSWORD },
      { email: 'carla@example.com', password: `${PASSWORD}\u0000` },
      { email: 'carla\ud800@example.com', password: PASSWORD },
      { email: `${'c'.repeat(201)}@example.com`, password: PASSWORD },
    ]) {
      const response = await ctx.app().inject({ method: 'POST', url: '/api/v1/auth/login', payload, remoteAddress: '10.0.1.4' });
      expect(response.statusCode, response.body).toBe(400);
    }
  });

  it('refuses a sign-in posted from another site (login CSRF), and accepts one from its own page', async () => {
    const fromPage = (headers: Record<string, string>) =>
      ctx.app().inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: 'carla@example.com', password: PASSWORD },
        remoteAddress: '10.0.1.5',
        headers: { host: 'charla.example.com', ...headers },
      });
    const foreign: Record<string, string>[] = [
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site' },
      { origin: 'https://evil.example' },
    ];
    for (const headers of foreign) {
      const refused = await fromPage(headers);
      expect(refused.statusCode).toBe(403);
      expect(refused.json<ErrorBody>().error.code).toBe('ORIGIN_REJECTED');
      expect(refused.cookies).toEqual([]);
    }
    expect((await fromPage({ 'sec-fetch-site': 'same-origin', origin: 'https://charla.example.com' })).statusCode).toBe(200);
    expect((await fromPage({})).statusCode).toBe(200);
  });

  it('behind a load balancer (TRUST_PROXY=1) counts failures per client address, not per balancer', async () => {
    const behind = await testApp(ctx.database(), { TRUST_PROXY: '1' });
    try {
      const attempt = (client: string, password: string) =>
        behind.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          payload: { email: 'carla@example.com', password },
          remoteAddress: '10.9.9.9',
          headers: { 'x-forwarded-for': client },
        });
      for (let i = 0; i < FAILURES_PER_ACCOUNT; i++) expect((await attempt('203.0.113.7', `incorrecto-${i}y`)).statusCode).toBe(401);
      expect((await attempt('203.0.113.7', PASSWORD)).statusCode).toBe(429);
      expect((await attempt('198.51.100.4', PASSWORD)).statusCode).toBe(200);
    } finally {
      await behind.close();
    }
  });

  it('lets admins manage agents, and agents not', async () => {
    const admin = await bearer(ctx.database(), 'admin');
    const agent = await bearer(ctx.database(), 'agente');
    const payload = { email: 'luis@example.com', nombre: 'Luis', password: 'otra-clave-larga', rol: 'agente' };
    expect((await ctx.app().inject({ method: 'POST', url: '/api/v1/agentes', headers: agent, payload })).statusCode).toBe(403);
    const created = await ctx.app().inject({ method: 'POST', url: '/api/v1/agentes', headers: admin, payload });
    expect(created.statusCode).toBe(201);
    expect(created.json<AgentBody>().agente).toMatchObject({ email: 'luis@example.com', rol: 'agente', activo: true });
    expect(created.body).not.toContain('password');
    expect((await ctx.app().inject({ method: 'POST', url: '/api/v1/agentes', headers: admin, payload })).statusCode).toBe(409);
    const short = await ctx.app().inject({
      method: 'POST',
      url: '/api/v1/agentes',
      headers: admin,
      payload: { ...payload, email: 'x@example.com', password: 'corta' },
    });
    expect(short.statusCode).toBe(400);

    const session = (await login('luis@example.com', 'otra-clave-larga', '10.0.0.4')).json<{ token: string }>().token;
    const id = created.json<AgentBody>().agente.id;
    const off = await ctx.app().inject({ method: 'PATCH', url: `/api/v1/agentes/${id}`, headers: admin, payload: { activo: false } });
    expect(off.json<AgentBody>().agente.activo).toBe(false);
    expect((await ctx.app().inject({ url: '/api/v1/auth/me', headers: { authorization: `Bearer ${session}` } })).statusCode).toBe(401);
    expect((await login('luis@example.com', 'otra-clave-larga', '10.0.0.4')).statusCode).toBe(401);
    expect((await ctx.app().inject({ method: 'GET', url: '/api/v1/agentes', headers: agent })).statusCode).toBe(403);
    const all = (await ctx.app().inject({ method: 'GET', url: '/api/v1/agentes', headers: admin })).json<{
      agentes: AgentBody['agente'][];
    }>().agentes;
    expect(all.map((a: { email: string }) => a.email)).toEqual(['carla@example.com', 'luis@example.com']);
  });
});
