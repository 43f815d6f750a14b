import type {} from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { looksLikeJwt, type AccessTokens } from '../auth/access-tokens.js';
import { authenticate, type Principal } from '../auth/auth.repository.js';
import type { Database } from '../db/database.js';
import type { Role } from '../db/tables.js';
import { CharlaError } from '../errors/charla-error.js';

/** The OpenAPI security of every signed-in route: a bearer token (session, API token or JWT) or the session cookie. */
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

/** True when the request's credential is the session cookie (what a browser sends by itself), not a bearer token. */
export function signedInByCookie(request: FastifyRequest): boolean {
  return !request.headers.authorization?.startsWith('Bearer ') && request.cookies?.[SESSION_COOKIE] !== undefined;
}

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** `Sec-Fetch-Site` values of a request from Charla's own page, or typed by the user (address bar, bookmark). */
const OWN_FETCH_SITES = new Set(['same-origin', 'none']);

function single(header: string | string[] | undefined): string | undefined {
  return Array.isArray(header) ? header[0] : header;
}

/** `host` as an origin with `protocol` would spell it: lower case, without the protocol's default port. */
function normalisedHost(protocol: string, host: string): string | null {
  try {
    return new URL(`${protocol}//${host}`).host;
  } catch {
    return null;
  }
}

/** An `Origin` header as a URL, or null for `null` (an opaque origin) and anything not http(s). */
function webOrigin(origin: string): URL | null {
  try {
    const url = new URL(origin);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : null;
  } catch {
    return null;
  }
}

/**
 * Refuses (403 ORIGIN_REJECTED) a request that a browser sent from another site's page: when
 * `Sec-Fetch-Site` is present and is neither `same-origin` nor `none`, or when `Origin` is present
 * and is neither the request's own host (`Host`, or the forwarded host behind a trusted proxy) nor
 * `publicUrl`'s origin. Requests with neither header (curl, scripts, old clients) pass: the check is
 * about browsers, which always send one of them on a cross-site POST.
 */
export function checkSameOrigin(request: FastifyRequest, publicUrl: string | undefined): void {
  const fetchSite = single(request.headers['sec-fetch-site'])?.trim().toLowerCase();
  if (fetchSite !== undefined && !OWN_FETCH_SITES.has(fetchSite)) {
    throw new CharlaError('ORIGIN_REJECTED', `Refused: the request came from another site (Sec-Fetch-Site: ${fetchSite.slice(0, 40)}).`);
  }
  const origin = single(request.headers.origin)?.trim();
  if (origin === undefined) return;
  const from = webOrigin(origin);
  if (from) {
    if (publicUrl !== undefined && new URL(publicUrl).origin === from.origin) return;
    const ownHosts = [request.headers.host, request.host].filter((h): h is string => typeof h === 'string' && h !== '');
    if (ownHosts.some((host) => normalisedHost(from.protocol, host) === from.host)) return;
  }
  throw new CharlaError('ORIGIN_REJECTED', `Refused: the request came from another site's page (Origin: ${origin.slice(0, 100)}).`);
}

/**
 * The cross-site check of state-changing requests signed in by the session cookie (a bearer token
 * is never sent by a browser on its own, so those requests are not affected).
 */
export function checkCookieRequestOrigin(request: FastifyRequest, publicUrl: string | undefined): void {
  if (STATE_CHANGING.has(request.method) && signedInByCookie(request)) checkSameOrigin(request, publicUrl);
}

/**
 * Adds `request.principal` and the `requireSignIn` / `requireRole` hooks. Nothing behind them is
 * readable without a valid session or API token: 401 otherwise, 403 for a role that is not enough.
 * A change (POST, PUT, PATCH, DELETE) signed in by the cookie from another site's page is refused
 * with 403 ORIGIN_REJECTED before the credential is looked up (`publicUrl`: PUBLIC_URL, whose origin
 * is accepted besides the request's own host).
 */
export const authentication = fp(
  async (
    app: FastifyInstance,
    options: { database: Database; publicUrl?: string | undefined; accessTokens: () => Promise<AccessTokens> },
  ) => {
    app.decorateRequest('principal', null);
    app.decorate('requireSignIn', async (request: FastifyRequest) => {
      checkCookieRequestOrigin(request, options.publicUrl);
      const secret = credentialOf(request);
      const tokens = secret && looksLikeJwt(secret) ? await options.accessTokens() : undefined;
      const principal = secret ? await authenticate(options.database.kysely, secret, new Date(), tokens) : null;
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
