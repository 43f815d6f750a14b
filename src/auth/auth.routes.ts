import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Config } from '../config/config.js';
import type { Database } from '../db/database.js';
import { CharlaError } from '../errors/charla-error.js';
import { credentialOf, principalOf, requireRole, SESSION_COOKIE, SIGNED_IN } from '../http/authentication.js';
import { createAgent, createApiToken, MIN_PASSWORD_LENGTH, SESSION_HOURS, signIn, signOut } from './auth.repository.js';
import { hashPassword } from './password.js';
import type { LoginLimiter } from './login-limiter.js';

const role = z.enum(['admin', 'agent']);
const security = SIGNED_IN;

/** Sign-in and sign-out, the caller's identity, and (admins) agents and API tokens. */
export async function authRoutes(app: FastifyInstance, options: { config: Config; database: Database; loginLimiter: LoginLimiter }) {
  const { config, database, loginLimiter } = options;
  const db = database.kysely;
  const api = app.withTypeProvider<ZodTypeProvider>();
  const secureCookie = config.http.publicUrl?.startsWith('https://') ?? false;

  api.post(
    '/api/v1/auth/login',
    {
      schema: {
        tags: ['auth'],
        summary: 'Sign in: sets the session cookie and returns the same secret for Authorization: Bearer',
        body: z.object({ email: z.string().trim().min(3).max(200), password: z.string().min(1).max(1024) }),
      },
    },
    async (request, reply) => {
      const { email, password } = request.body;
      await loginLimiter.check(email, request.ip);
      const session = await signIn(db, email, password);
      if (!session) {
        await loginLimiter.failed(email, request.ip);
        throw new CharlaError('LOGIN_FAILED', 'Wrong e-mail or password.');
      }
      await loginLimiter.succeeded(email, request.ip);
      reply.setCookie(SESSION_COOKIE, session.token, {
        path: '/',
        httpOnly: true,
        sameSite: 'strict',
        secure: secureCookie,
        maxAge: SESSION_HOURS * 3600,
      });
      return { token: session.token, expira_en: session.expiresAt.toISOString(), agente: session.principal };
    },
  );

  api.post('/api/v1/auth/logout', { schema: { tags: ['auth'], summary: 'End this session', security } }, async (request, reply) => {
    const secret = credentialOf(request);
    if (secret) await signOut(db, secret);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.status(204).send();
  });

  api.get(
    '/api/v1/auth/me',
    { schema: { tags: ['auth'], summary: 'Who is signed in', security }, onRequest: app.requireSignIn },
    async (request) => ({ principal: principalOf(request) }),
  );

  // Credentials are checked on request, before the body is validated: no one learns anything unsigned.
  const admin = { onRequest: [app.requireSignIn, requireRole('admin')] };
  const agentFields = { id: true, email: true, nombre: true, rol: true, activo: true, creado_en: true } as const;
  const agentColumns = Object.keys(agentFields) as (keyof typeof agentFields)[];
  const agentOut = (a: { id: number; email: string; nombre: string; rol: string; activo: boolean | number; creado_en: Date }) => ({
    ...a,
    activo: Boolean(a.activo),
    creado_en: a.creado_en.toISOString(),
  });

  api.get('/api/v1/agentes', { schema: { tags: ['admin'], summary: 'All agents', security }, ...admin }, async () => ({
    agentes: (await db.selectFrom('charla_agentes').select(agentColumns).orderBy('id').execute()).map(agentOut),
  }));

  api.post(
    '/api/v1/agentes',
    {
      schema: {
        tags: ['admin'],
        summary: 'Add an agent',
        security,
        body: z.object({
          email: z.email(),
          nombre: z.string().trim().min(1).max(200),
          password: z.string().min(MIN_PASSWORD_LENGTH).max(1024),
          rol: role.default('agent'),
        }),
      },
      ...admin,
    },
    async (request, reply) => {
      const id = await createAgent(db, database.support, request.body);
      const agente = await db.selectFrom('charla_agentes').select(agentColumns).where('id', '=', id).executeTakeFirstOrThrow();
      return reply.status(201).send({ agente: agentOut(agente) });
    },
  );

  api.patch(
    '/api/v1/agentes/:id',
    {
      schema: {
        tags: ['admin'],
        summary: "Change an agent's name, role, password or whether they may sign in (deactivating ends their sessions)",
        security,
        params: z.object({ id: z.coerce.number().int().positive() }),
        body: z
          .object({
            nombre: z.string().trim().min(1).max(200),
            rol: role,
            activo: z.boolean(),
            password: z.string().min(MIN_PASSWORD_LENGTH).max(1024),
          })
          .partial(),
      },
      ...admin,
    },
    async (request) => {
      const { id } = request.params;
      const { password, ...fields } = request.body;
      const existing = await db.selectFrom('charla_agentes').select('id').where('id', '=', id).executeTakeFirst();
      if (!existing) throw new CharlaError('HTTP_NOT_FOUND', `No agent with id ${id}.`);
      await db
        .updateTable('charla_agentes')
        .set({ ...fields, ...(password ? { password_hash: await hashPassword(password) } : {}), actualizado_en: new Date() })
        .where('id', '=', id)
        .execute();
      if (fields.activo === false || password) await db.deleteFrom('charla_sesiones').where('agente_id', '=', id).execute();
      const agente = await db.selectFrom('charla_agentes').select(agentColumns).where('id', '=', id).executeTakeFirstOrThrow();
      return { agente: agentOut(agente) };
    },
  );

  api.post(
    '/api/v1/tokens',
    {
      schema: {
        tags: ['admin'],
        summary: 'Create an API token for a machine (shown once)',
        security,
        body: z.object({ nombre: z.string().trim().min(1).max(100), rol: role.default('agent') }),
      },
      ...admin,
    },
    async (request, reply) => {
      const { id, secret } = await createApiToken(db, database.support, request.body);
      return reply.status(201).send({ id, nombre: request.body.nombre, rol: request.body.rol, token: secret });
    },
  );

  api.delete(
    '/api/v1/tokens/:id',
    {
      schema: { tags: ['admin'], summary: 'Revoke an API token', security, params: z.object({ id: z.coerce.number().int().positive() }) },
      ...admin,
    },
    async (request, reply) => {
      const result = await db
        .updateTable('charla_tokens_api')
        .set({ revocado_en: new Date() })
        .where('id', '=', request.params.id)
        .where('revocado_en', 'is', null)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) throw new CharlaError('HTTP_NOT_FOUND', `No active API token with id ${request.params.id}.`);
      return reply.status(204).send();
    },
  );
}
