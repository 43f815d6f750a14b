import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config/config.js';
import { SIGNED_IN } from './authentication.js';

/**
 * The agents' inbox (web/, built by `npm run build` into dist/web): hashed assets cached for a year,
 * and the page itself on each of the app's addresses. Signed-out visitors are sent to the sign-in
 * page (the page's own calls are protected by the API; this only spares them a flash of an empty
 * inbox). The simulator exists only in sandbox mode.
 */
export const WEB_ROOT = fileURLToPath(new URL('../../dist/web', import.meta.url));

/** The app's addresses; anything else under / is the API's or a 404. */
export const WEB_PAGES = ['/conversaciones', '/conversaciones/:numero', '/estadisticas', '/admin/agentes', '/admin/tokens', '/simulador'];

const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-cache',
  'content-security-policy':
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'x-frame-options': 'DENY',
};

const NOT_BUILT = `<!doctype html><html lang="es"><meta charset="utf-8"><title>Charla</title>
<h1>La bandeja no está construida</h1><p>Ejecuta <code>npm run build</code> (o <code>npm install</code>) y vuelve a abrir esta página. La API sigue disponible en /api/v1.</p></html>`;

export async function webRoutes(app: FastifyInstance, options: { config: Config; root?: string }): Promise<void> {
  const root = options.root ?? WEB_ROOT;
  // Read on each request (a few hundred bytes): a rebuild while Charla runs is served at once.
  const page = async (): Promise<string | null> => readFile(`${root}/index.html`, 'utf8').catch(() => null);
  if ((await page()) === null) app.log.warn({ root }, 'the inbox is not built (npm run build): its pages say so');
  const sandbox = options.config.graph.accessToken === undefined;

  await app.register(fastifyStatic, {
    root: `${root}/assets`,
    prefix: '/assets/',
    // Names carry their content's hash: a new build is a new name.
    immutable: true,
    maxAge: '365d',
    index: false,
    wildcard: true,
  });

  const signedIn = async (request: FastifyRequest, reply: FastifyReply): Promise<boolean> => {
    try {
      await app.requireSignIn(request, reply);
      return true;
    } catch {
      return false;
    }
  };
  const send = async (reply: FastifyReply) => {
    const html = await page();
    return html === null ? reply.status(503).headers(PAGE_HEADERS).send(NOT_BUILT) : reply.headers(PAGE_HEADERS).send(html);
  };

  // What the page needs to know about this server: the simulator link, dates in the lender's zone, amounts in its currency.
  app.get(
    '/api/v1/entorno',
    {
      schema: { tags: ['auth'], summary: 'What the inbox page needs to know: sandbox mode, time zone, currency', security: SIGNED_IN },
      onRequest: app.requireSignIn,
    },
    async () => ({ sandbox, zona_horaria: options.config.timezone, moneda: options.config.presentation.currency }),
  );

  app.get('/', { schema: { hide: true } }, async (request, reply) =>
    reply.redirect((await signedIn(request, reply)) ? '/conversaciones' : '/entrar', 302),
  );
  app.get('/entrar', { schema: { hide: true } }, async (_request, reply) => send(reply));
  for (const path of WEB_PAGES) {
    app.get(path, { schema: { hide: true } }, async (request, reply) => {
      if (path === '/simulador' && !sandbox) return reply.callNotFound();
      if (!(await signedIn(request, reply))) return reply.redirect(`/entrar?volver=${encodeURIComponent(request.url)}`, 302);
      return send(reply);
    });
  }
}
