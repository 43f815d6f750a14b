import type {} from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { authenticate, type Principal } from '../auth/auth.repository.js';
import type { Database } from '../db/database.js';
import type { Role } from '../db/tables.js';
import { CharlaError } from '../errors/charla-error.js';

/** The OpenAPI security of every signed-in route: a bearer token or the session cookie. */
export const SIGNED_IN: { [scheme: string]: string[] }[] = [{ bearer: [] }, { cookie: [] }];

/** The session cookie of the web inbox (HttpOnly, SameSite=Strict); API clients send a bearer token instead. */
export const SESSION_COOKIE = 'charla_sesion';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by `requireSignIn` (an onRequest hook) for the routes behind it. */
    principal: Principal | null;
  }
}

/** The secret a request carries: `Authorization: Bearer …` first, then the session cookie. */
export function credentialOf(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice('Bearer '.length).trim() || null;
  return request.cookies?.[SESSION_COOKIE] ?? null;
}

/**
 * Adds `request.principal` and the `requireSignIn` / `requireRole` hooks. Nothing behind them is
 * readable without a valid session or API token: 401 otherwise, 403 for a role that is not enough.
 */
export const authentication = fp(
  async (app: FastifyInstance, options: { database: Database }) => {
    app.decorateRequest('principal', null);
    app.decorate('requireSignIn', async (request: FastifyRequest) => {
      const secret = credentialOf(request);
      const principal = secret ? await authenticate(options.database.kysely, secret) : null;
      if (!principal) {
        throw new CharlaError('AUTH_REQUIRED', 'Sign in (POST /api/v1/auth/login) or send Authorization: Bearer <API token>.');
      }
      request.principal = principal;
    });
  },
  { name: 'charla-authentication', dependencies: ['@fastify/cookie'] },
);

declare module 'fastify' {
  interface FastifyInstance {
    requireSignIn: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
  }
}

/** A hook for routes only some roles may use (after `requireSignIn`). */
export function requireRole(role: Role) {
  return async (request: FastifyRequest): Promise<void> => {
    if (request.principal?.role !== role) throw new CharlaError('FORBIDDEN', `Only an ${role} may do this.`);
  };
}

/** The signed-in principal; routes behind `requireSignIn` always have one. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new CharlaError('AUTH_REQUIRED', 'Sign in first.');
  return request.principal;
}
