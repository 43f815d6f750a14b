import { expect, it } from 'vitest';
import { describeEachDatabase } from '../helpers/test-database.js';
import { useMigratedApp } from '../helpers/webhook.js';

/** The parts of an OpenAPI 3.1 document this test reads. */
interface Operation {
  parameters: { name: string; schema: Record<string, unknown> }[];
  security: Record<string, string[]>[];
  requestBody: { content: Record<string, { schema: { required: string[] } }> };
}
interface OpenApi {
  openapi: string;
  components: { securitySchemes: Record<string, unknown> };
  paths: Record<string, Record<string, Operation>>;
}

describeEachDatabase(
  'the OpenAPI description',
  ({ fresh }) => {
    const ctx = useMigratedApp(fresh);

    it('is served, readable without signing in, and describes every API route with its parameters and security', async () => {
      const response = await ctx.app().inject({ url: '/api/v1/openapi.json' });
      expect(response.statusCode).toBe(200);
      const doc = response.json<OpenApi>();
      expect(doc.openapi).toBe('3.1.0');
      expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(['bearer', 'cookie']);
      const routes = Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`));
      expect(routes).toEqual(
        expect.arrayContaining([
          'GET /api/v1/conversaciones-whatsapp',
          'GET /api/v1/conversaciones-whatsapp/{id}',
          'GET /api/v1/conversaciones-whatsapp/cliente/{cliente_id}',
          'GET /api/v1/conversaciones-whatsapp/numero/{numero}',
          'GET /api/v1/conversaciones-whatsapp/estadisticas',
          'POST /api/v1/conversaciones-whatsapp/enviar-mensaje',
          'GET /api/v1/conversaciones-whatsapp/buscar-cliente/{numero}',
          'GET /api/v1/conversaciones',
          'POST /api/v1/conversaciones/{numero}/tomar',
          'POST /api/v1/auth/login',
          'POST /api/v1/auth/refresh',
          'GET /api/v1/auth/me',
          'POST /api/v1/agentes',
          'POST /api/v1/tokens',
        ]),
      );
      const list = doc.paths['/api/v1/conversaciones-whatsapp']?.get as Operation;
      const params = Object.fromEntries(list.parameters.map((p) => [p.name, p.schema]));
      expect(params.per_page).toMatchObject({ minimum: 1, maximum: 100 });
      expect(params.direccion).toMatchObject({ enum: ['INBOUND', 'OUTBOUND'] });
      expect(list.security).toEqual([{ bearer: [] }, { cookie: [] }]);
      const send = doc.paths['/api/v1/conversaciones-whatsapp/enviar-mensaje']?.post as Operation;
      expect(send.requestBody.content['application/json']?.schema.required).toEqual(['to_number', 'message']);
    });

    it('refuses every route it describes without credentials, except sign-in, the webhook and health checks', async () => {
      const doc = (await ctx.app().inject({ url: '/api/v1/openapi.json' })).json<OpenApi>();
      const open = new Set([
        'POST /api/v1/auth/login',
        // Its credential is the refresh token in the body (test/api/legacy-sign-in.test.ts).
        'POST /api/v1/auth/refresh',
        'POST /api/v1/auth/logout',
        'GET /api/v1/whatsapp/webhook',
        'POST /api/v1/whatsapp/webhook',
        'GET /healthz',
        'GET /readyz',
      ]);
      const guarded = Object.entries(doc.paths).flatMap(([path, methods]) =>
        Object.keys(methods)
          .map((m) => `${m.toUpperCase()} ${path}`)
          .filter((route) => !open.has(route)),
      );
      expect(guarded.length).toBeGreaterThanOrEqual(20);
      for (const route of guarded) {
        const [method, path] = route.split(' ') as ['GET' | 'POST' | 'PATCH' | 'DELETE', string];
        const url = path.replace(/\{[^}]+\}/g, (name) => (name === '{numero}' ? '584121234567' : '1'));
        const response = await ctx.app().inject({ method, url, ...(method === 'GET' || method === 'DELETE' ? {} : { payload: {} }) });
        expect(response.statusCode, route).toBe(401);
      }
    });
  },
  ['pglite'],
);
