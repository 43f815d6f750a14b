import { expect, it } from 'vitest';
import { agentesRespuesta, tokensRespuesta, type TokensRespuesta } from '../../src/api/admin.schemas.js';
import { createAgent } from '../../src/auth/agents.repository.js';
import type { ErrorBody } from '../../src/http/error-handler.js';
import { bearer } from '../helpers/auth.js';
import { describeEachDatabase } from '../helpers/test-database.js';
import { useMigratedApp } from '../helpers/webhook.js';

const PASSWORD = 'correcto-caballo-bateria';

describeEachDatabase("the admins' list of API tokens (GET /api/v1/tokens)", ({ fresh }) => {
  const ctx = useMigratedApp(fresh);
  let admin: { authorization: string } | undefined;
  const adminHeaders = async () => (admin ??= await bearer(ctx.database(), 'admin'));
  const list = async (headers?: Record<string, string>) =>
    ctx.app().inject({ url: '/api/v1/tokens', headers: headers ?? (await adminHeaders()) });
  const create = async (nombre: string, rol?: 'admin' | 'agente') => {
    const response = await ctx.app().inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: await adminHeaders(),
      payload: rol === undefined ? { nombre } : { nombre, rol },
    });
    expect(response.statusCode, response.body).toBe(201);
    return response.json<{ id: number; nombre: string; rol: string; token: string }>();
  };

  it('lists every token with its name, role, creation and whether it works, working ones first, newest first, never the secret', async () => {
    const before = Date.now();
    const caja = await create('caja');
    const erp = await create('erp', 'admin');
    const viejo = await create('viejo');
    const revoked = await ctx.app().inject({ method: 'DELETE', url: `/api/v1/tokens/${viejo.id}`, headers: await adminHeaders() });
    expect(revoked.statusCode).toBe(204);

    const response = await list();
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json<TokensRespuesta>();
    expect(tokensRespuesta.safeParse(body).success).toBe(true);
    // The caller's own token (made by bearer()) is there too, as the oldest working one.
    expect(body.tokens.map((t) => [t.nombre, t.rol, t.activo])).toEqual([
      ['erp', 'admin', true],
      ['caja', 'agente', true],
      ['test admin', 'admin', true],
      ['viejo', 'agente', false],
    ]);
    const byName = new Map(body.tokens.map((t) => [t.nombre, t]));
    expect(byName.get('caja')).toMatchObject({ id: caja.id, revocado_en: null });
    expect(byName.get('erp')?.id).toBe(erp.id);
    const old = byName.get('viejo');
    expect(old?.id).toBe(viejo.id);
    expect(old?.revocado_en).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
    for (const token of body.tokens) {
      expect(token.creado_en).toMatch(/Z$/);
      // Timestamps are UTC (a database clock may run a little apart from this process's).
      expect(Math.abs(new Date(token.creado_en).getTime() - before)).toBeLessThan(10 * 60_000);
      expect(Object.keys(token).sort()).toEqual(['activo', 'creado_en', 'id', 'nombre', 'revocado_en', 'rol']);
    }
    // Neither the secrets nor their hashes leave the server.
    for (const secret of [caja.token, erp.token, viejo.token]) expect(response.body).not.toContain(secret);
    expect(response.body).not.toMatch(/token_hash|[0-9a-f]{64}/);
  });

  it('is for admins only: 401 without a credential, 403 FORBIDDEN for an agent (session or token)', async () => {
    const unsigned = await ctx.app().inject({ url: '/api/v1/tokens' });
    expect(unsigned.statusCode).toBe(401);
    expect(unsigned.json<ErrorBody>().error.code).toBe('AUTH_REQUIRED');

    const agentToken = await list(await bearer(ctx.database(), 'agente'));
    expect(agentToken.statusCode).toBe(403);
    expect(agentToken.json<ErrorBody>().error.code).toBe('FORBIDDEN');

    await createAgent(ctx.database().kysely, ctx.database().support, {
      email: 'luisa@example.com',
      nombre: 'Luisa',
      password: PASSWORD,
      rol: 'agente',
    });
    const login = await ctx
      .app()
      .inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'luisa@example.com', password: PASSWORD } });
    expect(login.statusCode).toBe(200);
    const session = await list({ authorization: `Bearer ${login.json<{ token: string }>().token}` });
    expect(session.statusCode).toBe(403);
    expect(session.json<ErrorBody>().error.code).toBe('FORBIDDEN');
    expect(session.body).not.toContain('caja');
  });

  it('answers the agents list in the shape the inbox imports (admin.schemas.ts)', async () => {
    const response = await ctx.app().inject({ url: '/api/v1/agentes', headers: await adminHeaders() });
    expect(response.statusCode).toBe(200);
    const parsed = agentesRespuesta.safeParse(response.json());
    expect(parsed.success, JSON.stringify(parsed.error)).toBe(true);
    expect(parsed.data?.agentes.find((a) => a.email === 'luisa@example.com')).toMatchObject({
      nombre: 'Luisa',
      rol: 'agente',
      activo: true,
    });
    expect(response.body).not.toContain('clave_hash');
  });
});
