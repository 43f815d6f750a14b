import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { agenteRespuesta, agentesRespuesta, tokenCreadoRespuesta, tokensRespuesta } from '../api/admin.schemas.js';
import { inicioSesionRespuesta, tokensOriginalesSchema, yoRespuesta } from '../api/auth.schemas.js';
import type { Config } from '../config/config.js';
import type { Database } from '../db/database.js';
import { CharlaError } from '../errors/charla-error.js';
import {
  checkCookieRequestOrigin,
  checkSameOrigin,
  credentialOf,
  principalOf,
  requireRole,
  SESSION_COOKIE,
  SIGNED_IN,
} from '../http/authentication.js';
import { databaseId } from '../validation/database-id.js';
import { storableText } from '../validation/storable-text.js';
import { AGENT_TEXT, listAgents, ROLES, type AgentRow } from './agents.repository.js';
import { addAgent, updateAgent } from './agents.service.js';
import { createApiToken, listApiTokens, revokeApiToken } from './auth.repository.js';
import type { AccessTokens } from './access-tokens.js';
import { originalUser, refreshSession, REMEMBERED_DAYS, SESSION_HOURS, signIn, signOutCredential, type TokenPair } from './auth.service.js';
import type { LoginLimiter } from './login-limiter.js';

const role = z.enum(ROLES);

const tokenPair = (tokens: TokenPair) => ({
  access_token: tokens.accessToken,
  refresh_token: tokens.refreshToken,
  token_type: 'bearer' as const,
  expires_in: tokens.expiresIn,
});

const security = SIGNED_IN;
const isEmail = (text: string) => z.email().safeParse(text).success;

/** Sign-in and sign-out, the caller's identity, and (admins) agents and API tokens. */
export async function authRoutes(
  app: FastifyInstance,
  options: { config: Config; database: Database; loginLimiter: LoginLimiter; accessTokens: () => Promise<AccessTokens> },
) {
  const { config, database, loginLimiter, accessTokens } = options;
  const db = database.kysely;
  const api = app.withTypeProvider<ZodTypeProvider>();
  const publicUrl = config.http.publicUrl;
  const secureCookie = publicUrl?.startsWith('https://') ?? false;

  api.post(
    '/api/v1/auth/login',
    {
      schema: {
        tags: ['auth'],
        summary:
          "Sign in: sets the session cookie and answers the session's secret (`token`) and, for the original front end, a JWT access token, a refresh token and `user`",
        body: z.object({
          email: storableText(AGENT_TEXT.email),
          password: storableText({ min: 1, max: AGENT_TEXT.password.max, trim: false }),
          remember: z.boolean().default(false).describe(`The session lasts ${REMEMBERED_DAYS} days instead of ${SESSION_HOURS} hours.`),
        }),
        response: { 200: inicioSesionRespuesta },
      },
      // Login CSRF: another site's page must not sign the browser in to an account of its choosing.
      onRequest: async (request) => checkSameOrigin(request, publicUrl),
    },
    async (request, reply) => {
      const { email, password, remember } = request.body;
      // The attempt is counted before the password is checked, so attempts sent together cannot outrun the limit.
      await loginLimiter.attempt(email, request.ip);
      const session = await signIn(db, email, password, { accessTokens: await accessTokens(), remember });
      if (!session?.tokens) throw new CharlaError('LOGIN_FAILED', 'Wrong e-mail or password.');
      await loginLimiter.succeeded(email, request.ip);
      reply.setCookie(SESSION_COOKIE, session.token, {
        path: '/',
        httpOnly: true,
        sameSite: 'strict',
        secure: secureCookie,
        maxAge: Math.floor((session.expiresAt.getTime() - Date.now()) / 1000),
      });
      return {
        ...tokenPair(session.tokens),
        user: await originalUser(db, session.principal),
        token: session.token,
        expira_en: session.expiresAt.toISOString(),
        agente: session.principal,
      };
    },
  );

  api.post(
    '/api/v1/auth/refresh',
    {
      schema: {
        tags: ['auth'],
        summary:
          'A new access token and refresh token for a refresh token (used once: presenting it again ends its session, 401 REFRESH_TOKEN_REUSED)',
        body: z.object({ refresh_token: storableText({ min: 1, max: 200, trim: true }) }),
        response: { 200: tokensOriginalesSchema },
      },
    },
    async (request) => tokenPair(await refreshSession(db, await accessTokens(), request.body.refresh_token)),
  );

  api.post(
    '/api/v1/auth/logout',
    {
      schema: {
        tags: ['auth'],
        summary: 'End this session (the cookie, the session secret or its access token; its refresh tokens with it)',
        security,
      },
      onRequest: async (request) => checkCookieRequestOrigin(request, publicUrl),
    },
    async (request, reply) => {
      const secret = credentialOf(request);
      if (secret) await signOutCredential(db, await accessTokens(), secret);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send();
    },
  );

  api.get(
    '/api/v1/auth/me',
    {
      schema: {
        tags: ['auth'],
        summary: "Who is signed in: the original front end's flat user, and Charla's `principal`",
        security,
        response: { 200: yoRespuesta },
      },
      onRequest: app.requireSignIn,
    },
    async (request) => {
      const principal = principalOf(request);
      return { ...(await originalUser(db, principal)), principal };
    },
  );

  // Credentials are checked on request, before the body is validated: no one learns anything unsigned.
  const admin = { onRequest: [app.requireSignIn, requireRole('admin')] };
  const agentOut = (a: AgentRow) => ({
    ...a,
    activo: Boolean(a.activo),
    creado_en: a.creado_en.toISOString(),
    ultimo_ingreso_en: a.ultimo_ingreso_en?.toISOString() ?? null,
  });

  api.get(
    '/api/v1/agentes',
    { schema: { tags: ['admin'], summary: 'All agents', security, response: { 200: agentesRespuesta } }, ...admin },
    async () => ({
      agentes: (await listAgents(db)).map(agentOut),
    }),
  );

  api.post(
    '/api/v1/agentes',
    {
      schema: {
        tags: ['admin'],
        summary: 'Add an agent',
        security,
        body: z.object({
          email: storableText(AGENT_TEXT.email).refine(isEmail, 'must be an e-mail address').meta({ format: 'email' }),
          nombre: storableText(AGENT_TEXT.nombre),
          password: storableText(AGENT_TEXT.password),
          rol: role.default('agente'),
        }),
        response: { 201: agenteRespuesta },
      },
      ...admin,
    },
    async (request, reply) => {
      const agente = await addAgent(db, database.support, request.body);
      return reply.status(201).send({ agente: agentOut(agente) });
    },
  );

  api.patch(
    '/api/v1/agentes/:id',
    {
      schema: {
        tags: ['admin'],
        summary:
          "Change an agent's name, role, password or whether they may sign in (deactivating ends their sessions; " +
          'the last active admin cannot be demoted or deactivated: 409 LAST_ADMIN)',
        security,
        params: z.object({ id: databaseId }),
        body: z
          .object({
            nombre: storableText(AGENT_TEXT.nombre),
            rol: role,
            activo: z.boolean(),
            password: storableText(AGENT_TEXT.password),
          })
          .partial(),
        response: { 200: agenteRespuesta },
      },
      ...admin,
    },
    async (request) => {
      const { id } = request.params;
      const agente = await updateAgent(db, id, request.body);
      if (!agente) throw new CharlaError('HTTP_NOT_FOUND', `No agent with id ${id}.`);
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
        body: z.object({ nombre: storableText(AGENT_TEXT.tokenNombre), rol: role.default('agente') }),
        response: { 201: tokenCreadoRespuesta },
      },
      ...admin,
    },
    async (request, reply) => {
      const { id, secret } = await createApiToken(db, database.support, request.body);
      return reply.status(201).send({ id, nombre: request.body.nombre, rol: request.body.rol, token: secret });
    },
  );

  api.get(
    '/api/v1/tokens',
    {
      schema: {
        tags: ['admin'],
        summary: 'Every API token, working ones first (never the secret)',
        security,
        response: { 200: tokensRespuesta },
      },
      ...admin,
    },
    async () => ({
      tokens: (await listApiTokens(db)).map((t) => ({
        id: t.id,
        nombre: t.nombre,
        rol: t.rol,
        creado_en: t.creado_en.toISOString(),
        activo: t.revocado_en === null,
        revocado_en: t.revocado_en?.toISOString() ?? null,
      })),
    }),
  );

  api.delete(
    '/api/v1/tokens/:id',
    {
      schema: { tags: ['admin'], summary: 'Revoke an API token', security, params: z.object({ id: databaseId }) },
      ...admin,
    },
    async (request, reply) => {
      if (!(await revokeApiToken(db, request.params.id)))
        throw new CharlaError('HTTP_NOT_FOUND', `No active API token with id ${request.params.id}.`);
      return reply.status(204).send();
    },
  );
}
