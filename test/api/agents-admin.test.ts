import { expect, it } from 'vitest';
import { createAgent } from '../../src/auth/agents.repository.js';
import type { ErrorBody } from '../../src/http/error-handler.js';
import { bearer } from '../helpers/auth.js';
import { describeEachDatabase } from '../helpers/test-database.js';
import { useMigratedApp } from '../helpers/webhook.js';

const PASSWORD = 'correcto-caballo-bateria';

interface AgentBody {
  agente: { id: number; email: string; nombre: string; rol: string; activo: boolean };
}

describeEachDatabase('managing agents and tokens: races and input', ({ fresh }) => {
  const ctx = useMigratedApp(fresh);
  let admin: { authorization: string } | undefined;
  const adminHeaders = async () => (admin ??= await bearer(ctx.database(), 'admin'));
  const send = async (method: 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
    ctx.app().inject({ method, url, headers: await adminHeaders(), ...(payload === undefined ? {} : { payload }) });
  /** A JSON body sent as written (JSON escapes such as \u0000 included). */
  const sendRaw = async (method: 'POST' | 'PATCH', url: string, json: string) =>
    ctx.app().inject({ method, url, headers: { ...(await adminHeaders()), 'content-type': 'application/json' }, payload: json });
  const agent = (fields: Record<string, unknown> = {}) => ({ email: 'luis@example.com', nombre: 'Luis', password: PASSWORD, ...fields });
  const agentCount = async () =>
    Number(
      (
        await ctx
          .database()
          .kysely.selectFrom('charla_agentes')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const tokenCount = async () =>
    Number(
      (
        await ctx
          .database()
          .kysely.selectFrom('charla_tokens_api')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('nombre', '!=', 'test admin') // the caller's own token, made by bearer()
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('answers 409 AGENT_EXISTS, not 500, to one of two agents added at the same moment with the same e-mail', async () => {
    const responses = await Promise.all([
      send('POST', '/api/v1/agentes', agent({ email: 'doble@example.com', nombre: 'Uno' })),
      send('POST', '/api/v1/agentes', agent({ email: 'Doble@Example.com', nombre: 'Dos' })),
    ]);
    expect(responses.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    const conflict = responses.find((r) => r.statusCode === 409);
    expect(conflict?.json<ErrorBody>().error.code).toBe('AGENT_EXISTS');
    const rows = await ctx
      .database()
      .kysely.selectFrom('charla_agentes')
      .select('email')
      .where('email', '=', 'doble@example.com')
      .execute();
    expect(rows).toHaveLength(1);
  });

  it('refuses empty, blank and over-long names, e-mails and passwords with 400, and stores names at their full column size', async () => {
    const before = await agentCount();
    for (const fields of [
      { nombre: '' },
      { nombre: '   ' },
      { nombre: 'n'.repeat(201) },
      { email: `${'e'.repeat(190)}@example.com` },
      { password: 'p'.repeat(1025) },
      { password: 'corta' },
    ]) {
      const response = await send('POST', '/api/v1/agentes', agent(fields));
      expect(response.statusCode, JSON.stringify(fields).slice(0, 80)).toBe(400);
    }
    expect(await agentCount()).toBe(before);

    // 200 characters fit VARCHAR(200) on every database, astral ones included (400 UTF-16 units).
    for (const [i, nombre] of ['n'.repeat(200), '😀'.repeat(200)].entries()) {
      const created = await send('POST', '/api/v1/agentes', agent({ email: `largo${i}@example.com`, nombre: `  ${nombre} ` }));
      expect(created.statusCode, created.body).toBe(201);
      expect(created.json<AgentBody>().agente.nombre).toBe(nombre);
    }

    const tokensBefore = await tokenCount();
    for (const nombre of ['', '  ', 't'.repeat(101)]) expect((await send('POST', '/api/v1/tokens', { nombre })).statusCode).toBe(400);
    expect(await tokenCount()).toBe(tokensBefore);
    const longest = await send('POST', '/api/v1/tokens', { nombre: 't'.repeat(100) });
    expect(longest.statusCode).toBe(201);
    expect(await tokenCount()).toBe(tokensBefore + 1);
  });

  it('refuses NUL and unpaired surrogates in every text field with 400 naming the field, not a database error', async () => {
    const before = await agentCount();
    const tokensBefore = await tokenCount();
    const created = await send('POST', '/api/v1/agentes', agent({ email: 'nul@example.com' }));
    const id = created.json<AgentBody>().agente.id;
    for (const bad of ['\\u0000', '\\ud800', '\\udfff']) {
      const cases: [method: 'POST' | 'PATCH', url: string, json: string, field: string][] = [
        ['POST', '/api/v1/agentes', `{"email":"x${bad}@example.com","nombre":"X","password":"${PASSWORD}"}`, 'email'],
        ['POST', '/api/v1/agentes', `{"email":"y@example.com","nombre":"Y${bad}","password":"${PASSWORD}"}`, 'nombre'],
        ['POST', '/api/v1/agentes', `{"email":"z@example.com","nombre":"Z","password":"${PASSWORD}${bad}"}`, 'password'],
        ['PATCH', `/api/v1/agentes/${id}`, `{"nombre":"Luis${bad}"}`, 'nombre'],
        ['PATCH', `/api/v1/agentes/${id}`, `{"password":"${PASSWORD}${bad}"}`, 'password'],
        ['POST', '/api/v1/tokens', `{"nombre":"caja${bad}"}`, 'nombre'],
      ];
      for (const [method, url, json, field] of cases) {
        const response = await sendRaw(method, url, json);
        expect(response.statusCode, `${method} ${url} ${json}`).toBe(400);
        expect(response.json<ErrorBody>().error.message).toContain(field);
      }
    }
    const nul = await sendRaw('POST', '/api/v1/tokens', '{"nombre":"caja\\u0000"}');
    expect(nul.json<ErrorBody>().error.message).toContain('NUL');
    expect(await agentCount()).toBe(before + 1);
    expect(await tokenCount()).toBe(tokensBefore);
    const luis = await ctx.database().kysely.selectFrom('charla_agentes').select('nombre').where('id', '=', id).executeTakeFirstOrThrow();
    expect(luis.nombre).toBe('Luis');
  });

  it('answers 400 or 404, never 500, to ids beyond the database integer range', async () => {
    for (const id of ['2147483648', '4294967296', '99999999999999999999', '1e30']) {
      const patch = await send('PATCH', `/api/v1/agentes/${id}`, { nombre: 'X' });
      expect([400, 404], patch.body).toContain(patch.statusCode);
      const revoke = await send('DELETE', `/api/v1/tokens/${id}`);
      expect([400, 404], revoke.body).toContain(revoke.statusCode);
    }
    expect((await send('PATCH', '/api/v1/agentes/2147483647', { nombre: 'X' })).statusCode).toBe(404);
    expect((await send('DELETE', '/api/v1/tokens/2147483647')).statusCode).toBe(404);
  });
});

describeEachDatabase('the last active admin', ({ fresh }) => {
  const ctx = useMigratedApp(fresh);
  const admins = async () =>
    (
      await ctx
        .database()
        .kysely.selectFrom('charla_agentes')
        .select('id')
        .where('rol', '=', 'admin')
        .where('activo', '=', true)
        .orderBy('id')
        .execute()
    ).map((a) => a.id);
  const add = (email: string, rol: 'admin' | 'agente') =>
    createAgent(ctx.database().kysely, ctx.database().support, { email, nombre: email.split('@')[0] as string, password: PASSWORD, rol });
  const signIn = async (email: string) => {
    const response = await ctx.app().inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password: PASSWORD } });
    expect(response.statusCode, response.body).toBe(200);
    return { authorization: `Bearer ${response.json<{ token: string }>().token}` };
  };
  const patch = (headers: Record<string, string>, id: number, payload: object) =>
    ctx.app().inject({ method: 'PATCH', url: `/api/v1/agentes/${id}`, headers, payload });

  it('cannot demote or deactivate themselves, nor be demoted or deactivated by an admin token', async () => {
    const ana = await add('ana@example.com', 'admin');
    const inactive = await add('ines@example.com', 'admin');
    const anaSession = await signIn('ana@example.com');
    expect((await patch(anaSession, inactive, { activo: false })).statusCode).toBe(200);
    expect(await admins()).toEqual([ana]);

    const token = await bearer(ctx.database(), 'admin');
    for (const [headers, change] of [
      [anaSession, { rol: 'agente' }],
      [anaSession, { activo: false }],
      [anaSession, { rol: 'agente', activo: false }],
      [token, { rol: 'agente' }],
      [token, { activo: false }],
    ] as const) {
      const refused = await patch(headers, ana, change);
      expect(refused.statusCode, JSON.stringify(change)).toBe(409);
      expect(refused.json<ErrorBody>().error.code).toBe('LAST_ADMIN');
    }
    expect(await admins()).toEqual([ana]);
    // What does not take away the last admin still works, and the session was not ended.
    expect((await patch(anaSession, ana, { nombre: 'Ana María', rol: 'admin', activo: true })).statusCode).toBe(200);
    expect((await ctx.app().inject({ url: '/api/v1/auth/me', headers: anaSession })).statusCode).toBe(200);

    // With a second active admin, either may step down.
    expect((await patch(token, inactive, { activo: true })).statusCode).toBe(200);
    expect((await patch(anaSession, ana, { rol: 'agente' })).statusCode).toBe(200);
    expect(await admins()).toEqual([inactive]);
    expect((await patch(token, inactive, { rol: 'agente' })).statusCode).toBe(409);
  });

  it('lets only one of the last two admins be demoted when both are demoted at the same moment', async () => {
    const token = await bearer(ctx.database(), 'admin');
    for (const change of [{ rol: 'agente' }, { activo: false }, { rol: 'agente', activo: false }]) {
      // Every active admin except one is demoted first, then two more are made, and both are demoted at once.
      for (const id of await admins())
        await ctx.database().kysely.updateTable('charla_agentes').set({ rol: 'agente' }).where('id', '=', id).execute();
      const suffix = Math.random().toString(36).slice(2, 8);
      const first = await add(`primera-${suffix}@example.com`, 'admin');
      const second = await add(`segunda-${suffix}@example.com`, 'admin');
      const responses = await Promise.all([patch(token, first, change), patch(token, second, change)]);
      expect(responses.map((r) => r.statusCode).sort(), JSON.stringify(change)).toEqual([200, 409]);
      expect(responses.find((r) => r.statusCode === 409)?.json<ErrorBody>().error.code).toBe('LAST_ADMIN');
      expect((await admins()).length).toBe(1);
    }
  });
});
