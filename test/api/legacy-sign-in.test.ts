import type { FastifyInstance } from 'fastify';
import { decodeJwt, SignJWT, UnsecuredJWT } from 'jose';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createAgent } from '../../src/auth/agents.repository.js';
import { linkAgentToOriginalUser } from '../../src/auth/legacy-users.repository.js';
import { describeEachDatabase } from '../helpers/test-database.js';
import { testApp, useMigratedApp } from '../helpers/webhook.js';

/**
 * Signing in as the original front end does (docs/legacy-frontend.md, "Signing in"): JWT access
 * tokens, rotating refresh tokens with reuse detection, the flat `/auth/me`; and, beside the
 * original backend, its own tokens (LEGACY_JWT_SECRET) standing for the agent imported from their user.
 */
const PASSWORD = 'una-clave-bastante-larga';
const LEGACY_SECRET = 'el-secret-key-del-sistema-original';
/** The original's user id the agent Rosa was imported from. */
const ORIGINAL_USER = '42';

interface LoginBody {
  access_token: string;
  refresh_token: string;
  token_type: string;
  expires_in: number;
  user: {
    id: number;
    nombre: string;
    apellido: string;
    is_admin: boolean;
    email: string;
    rol: string;
    is_active: boolean;
    last_login: string | null;
  };
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

/** A token as the original backend signs them: HS256 with its SECRET_KEY, `sub`, `exp`, `type`. */
function originalToken(claims: { sub?: string; exp?: number; type?: string }, secret = LEGACY_SECRET): Promise<string> {
  return new SignJWT({ type: claims.type ?? 'access' })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.sub ?? ORIGINAL_USER)
    .setExpirationTime(claims.exp ?? nowSeconds() + 4 * 3600)
    .sign(new TextEncoder().encode(secret));
}

describeEachDatabase('signing in as the original front end does', ({ fresh }) => {
  let rosaId = 0;
  const ctx = useMigratedApp(fresh, async (database) => {
    await createAgent(database.kysely, database.support, {
      email: 'carla@example.com',
      nombre: 'Carla Pérez',
      password: PASSWORD,
      rol: 'admin',
    });
    rosaId = await createAgent(database.kysely, database.support, {
      email: 'rosa@example.com',
      nombre: 'Rosa',
      password: PASSWORD,
      rol: 'agente',
    });
    await linkAgentToOriginalUser(database.kysely, rosaId, ORIGINAL_USER);
  });
  /** The same database served beside the original backend: its tokens are accepted. */
  let beside: FastifyInstance;
  beforeAll(async () => {
    beside = await testApp(ctx.database(), { LEGACY_JWT_SECRET: LEGACY_SECRET });
  });
  afterAll(async () => beside?.close());

  const login = async (email = 'carla@example.com', password = PASSWORD, remember?: boolean) =>
    ctx
      .app()
      .inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password, ...(remember === undefined ? {} : { remember }) } });
  const get = (url: string, token: string, app = ctx.app()) => app.inject({ url, headers: { authorization: `Bearer ${token}` } });
  const refresh = (refreshToken: string) =>
    ctx.app().inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refresh_token: refreshToken } });

  it('answers a JWT access token, a refresh token, token_type, expires_in and the user', async () => {
    const response = await login('Carla@Example.com', PASSWORD, true);
    expect(response.statusCode).toBe(200);
    const body = response.json<LoginBody>();
    // What the front end checks before using a token: three base64url parts and an `exp` to come.
    expect(body.access_token.split('.')).toHaveLength(3);
    const claims = decodeJwt(body.access_token);
    expect(claims).toMatchObject({ sub: String(body.user.id), type: 'access' });
    expect(claims.exp).toBeGreaterThan(nowSeconds() + 4 * 3600 - 60);
    expect(body.token_type).toBe('bearer');
    expect(body.expires_in).toBeGreaterThan(4 * 3600 - 60);
    expect(body.expires_in).toBeLessThanOrEqual(4 * 3600);
    expect(body.refresh_token).toMatch(/^chr_/);
    expect(body.user).toMatchObject({
      nombre: 'Carla Pérez',
      apellido: '',
      is_admin: true,
      email: 'carla@example.com',
      rol: 'admin',
      is_active: true,
    });
    expect(typeof body.user.id).toBe('number');
    expect(Date.parse(body.user.last_login ?? '')).toBeGreaterThan(Date.now() - 60_000);
  });

  it('accepts the access token on every call, and /auth/me is the flat user', async () => {
    const { access_token } = (await login()).json<LoginBody>();
    expect((await get('/api/v1/conversaciones-whatsapp?page=1&per_page=20', access_token)).statusCode).toBe(200);
    const me = await get('/api/v1/auth/me', access_token);
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ nombre: 'Carla Pérez', apellido: '', is_admin: true, email: 'carla@example.com', is_active: true });
    expect(typeof me.json<{ id: number }>().id).toBe('number');
    expect(Date.parse(me.json<{ created_at: string }>().created_at)).toBeGreaterThan(0);
    // Charla's own inbox reads the same call.
    expect(me.json<{ principal: unknown }>().principal).toMatchObject({ kind: 'agent', name: 'Carla Pérez', role: 'admin' });
  });

  it('shows the page a wrong password as a Spanish sentence in detail', async () => {
    const response = await login('carla@example.com', 'otra-clave-cualquiera');
    expect(response.statusCode).toBe(401);
    const body = response.json<{ detail: string; error: { code: string } }>();
    expect(body.error.code).toBe('LOGIN_FAILED');
    expect(body.detail).toMatch(/contraseña/i);
  });

  it('rotates refresh tokens; a used one presented again ends the whole session', async () => {
    const first = (await login()).json<LoginBody>();
    const second = await refresh(first.refresh_token);
    expect(second.statusCode).toBe(200);
    const pair = second.json<{ access_token: string; refresh_token: string; token_type: string; expires_in: number }>();
    expect(pair.refresh_token).not.toBe(first.refresh_token);
    expect(pair.token_type).toBe('bearer');
    expect((await get('/api/v1/auth/me', pair.access_token)).statusCode).toBe(200);
    const third = (await refresh(pair.refresh_token)).json<{ access_token: string; refresh_token: string }>();
    expect((await get('/api/v1/auth/me', third.access_token)).statusCode).toBe(200);

    // The first token again (a thief's copy): refused, and every token of the session with it.
    const reused = await refresh(first.refresh_token);
    expect(reused.statusCode).toBe(401);
    expect(reused.json()).toMatchObject({ error: { code: 'REFRESH_TOKEN_REUSED' } });
    expect(reused.json<{ detail: string }>().detail).toMatch(/sesión/);
    expect((await get('/api/v1/auth/me', third.access_token)).statusCode).toBe(401);
    expect((await get('/api/v1/auth/me', first.access_token)).statusCode).toBe(401);
    expect((await refresh(third.refresh_token)).json()).toMatchObject({ error: { code: 'REFRESH_TOKEN_INVALID' } });
  });

  it('refuses an unknown refresh token, and an empty one with a 400', async () => {
    expect((await refresh('chr_' + 'x'.repeat(43))).json()).toMatchObject({ error: { code: 'REFRESH_TOKEN_INVALID' } });
    expect((await refresh('')).statusCode).toBe(400);
  });

  it('ends the session on logout with the access token: the token and its refresh token stop working', async () => {
    const { access_token, refresh_token } = (await login()).json<LoginBody>();
    const logout = await ctx
      .app()
      .inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { authorization: `Bearer ${access_token}` } });
    expect(logout.statusCode).toBe(204);
    expect((await get('/api/v1/auth/me', access_token)).statusCode).toBe(401);
    expect((await refresh(refresh_token)).statusCode).toBe(401);
  });

  it('refuses a Charla token whose claims were changed, or whose agent was deactivated', async () => {
    const { access_token } = (await login('rosa@example.com')).json<LoginBody>();
    const [header, , signature] = access_token.split('.');
    const claims = decodeJwt(access_token);
    const forged = Buffer.from(JSON.stringify({ ...claims, sub: '1' })).toString('base64url');
    expect((await get('/api/v1/auth/me', `${header}.${forged}.${signature}`)).statusCode).toBe(401);
    expect((await get('/api/v1/auth/me', access_token)).statusCode).toBe(200);
    await ctx.database().kysely.updateTable('charla_agentes').set({ activo: false }).where('id', '=', rosaId).execute();
    try {
      expect((await get('/api/v1/auth/me', access_token)).statusCode).toBe(401);
    } finally {
      await ctx.database().kysely.updateTable('charla_agentes').set({ activo: true }).where('id', '=', rosaId).execute();
    }
  });

  it('accepts a token of the original backend for the agent imported from its user', async () => {
    const token = await originalToken({});
    const me = await get('/api/v1/auth/me', token, beside);
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ id: rosaId, nombre: 'Rosa', is_admin: false, email: 'rosa@example.com' });
    expect((await get('/api/v1/conversaciones-whatsapp?page=1&per_page=20', token, beside)).statusCode).toBe(200);
    // Not where LEGACY_JWT_SECRET is unset.
    expect((await get('/api/v1/auth/me', token)).statusCode).toBe(401);
  });

  it("refuses the original's tokens with a wrong signature, alg none, an expired exp, type refresh or an unknown user", async () => {
    const refused = {
      'wrong signature': await originalToken({}, 'otro-secreto-que-no-es-el-configurado'),
      'alg none': new UnsecuredJWT({ type: 'access' })
        .setSubject(ORIGINAL_USER)
        .setExpirationTime(nowSeconds() + 3600)
        .encode(),
      expired: await originalToken({ exp: nowSeconds() - 60 }),
      'type refresh': await originalToken({ type: 'refresh' }),
      'user never imported': await originalToken({ sub: '9999' }),
    };
    for (const [what, token] of Object.entries(refused)) {
      const response = await get('/api/v1/conversaciones-whatsapp', token, beside);
      expect(response.statusCode, what).toBe(401);
      expect(response.json<{ detail: string }>().detail, what).toEqual(expect.any(String));
    }
  });

  it('keeps the inbox sign-in by cookie, and remember=true makes the session last 30 days', async () => {
    const response = await login('carla@example.com', PASSWORD, true);
    const cookie = response.cookies.find((c) => c.name === 'charla_sesion');
    expect(cookie?.maxAge).toBeGreaterThan(29 * 86_400);
    const byCookie = await ctx.app().inject({ url: '/api/v1/auth/me', cookies: { charla_sesion: cookie?.value ?? '' } });
    expect(byCookie.statusCode).toBe(200);
    const short = (await login()).cookies.find((c) => c.name === 'charla_sesion');
    expect(short?.maxAge).toBeLessThanOrEqual(12 * 3600);
  });
});
