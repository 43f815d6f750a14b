import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GRAPH_API_VERSION } from '../../src/config/config.js';
import type { Database } from '../../src/db/database.js';
import { CharlaError } from '../../src/errors/charla-error.js';
import { listMessageTemplates } from '../../src/graph/message-templates.js';
import { startSandboxGraph, type SandboxGraph } from '../../src/sandbox/sandbox-graph.js';
import { syncTemplates, templateSourceOf } from '../../src/templates/templates-sync.service.js';
import { charla } from '../helpers/cli.js';
import { graphError, GraphStandIn } from '../helpers/graph-stand-in.js';
import { migratorFor } from '../helpers/migrations.js';
import { describeEachDatabase } from '../helpers/test-database.js';
import { testConfig } from '../helpers/webhook.js';

const WABA = '102290129340398';

/** A template as Meta lists it, with a body of `text`. */
function metaTemplate(name: string, text: string, overrides: Record<string, unknown> = {}) {
  return {
    id: `id-${name}`,
    name,
    language: 'es',
    category: 'UTILITY',
    status: 'APPROVED',
    components: [{ type: 'BODY', text }],
    ...overrides,
  };
}

describe("the sandbox's template list", () => {
  let sandbox: SandboxGraph | undefined;
  afterEach(() => sandbox?.close());

  it('serves four templates page by page, like Meta, and records no message for it', async () => {
    sandbox = await startSandboxGraph({
      webhookUrl: 'http://127.0.0.1:9/unused',
      appSecret: 'secret',
      phoneNumberId: '106540352242922',
      displayPhoneNumber: '15550000000',
    });
    const listed = await listMessageTemplates({
      apiUrl: sandbox.url,
      version: GRAPH_API_VERSION,
      businessAccountId: WABA,
      accessToken: 'sandbox',
      pageSize: 3,
    });
    expect(listed.map((t) => [t.name, t.status])).toEqual([
      ['recordatorio_pago', 'APPROVED'],
      ['pago_recibido', 'APPROVED'],
      ['seguimiento_conversacion', 'APPROVED'],
      ['cuota_vencida', 'PENDING'],
    ]);
    const body = listed[0]?.components.find((c) => (c as { type?: string }).type === 'BODY') as { text: string };
    expect(body.text).toMatch(/^Hola \{\{1\}\}, te recordamos que tu cuota de \{\{2\}\} vence el \{\{3\}\}/);
    expect(sandbox.sent).toEqual([]);
  });
});

describeEachDatabase('syncing message templates', ({ fresh }) => {
  const graph = new GraphStandIn();
  let graphUrl = '';
  let database: Database | undefined;
  beforeAll(async () => {
    graphUrl = await graph.start();
  });
  afterAll(() => graph.stop());
  afterEach(async () => {
    await database?.close();
    database = undefined;
  });

  const meta = () =>
    templateSourceOf(testConfig({ WHATSAPP_ACCESS_TOKEN: 'meta-token', WHATSAPP_API_URL: graphUrl, WHATSAPP_BUSINESS_ACCOUNT_ID: WABA }));
  const stored = async (db: Database) =>
    (await db.kysely.selectFrom('whatsapp_plantillas').selectAll().orderBy('nombre').orderBy('idioma').execute()).map((t) => ({
      nombre: t.nombre,
      idioma: t.idioma,
      estado: t.estado,
      categoria: t.categoria,
      meta_id: t.meta_id,
      componentes: JSON.parse(t.componentes) as unknown,
    }));

  it("follows Meta's paging, adds and updates by name and language, marks what Meta no longer lists DELETED", async () => {
    database = await (await fresh()).open();
    await migratorFor(database).migrator.upgrade('head');
    graph.received.length = 0;
    graph.respond(
      {
        status: 200,
        body: {
          data: [metaTemplate('recordatorio_pago', 'Hola {{1}}, tu cuota de {{2}} vence el {{3}}.'), { name: 'sin_idioma' }],
          // Meta's next page is on graph.facebook.com: Charla asks the configured API with its cursor.
          paging: { cursors: { after: 'QVFI' }, next: `https://graph.facebook.com/v21.0/${WABA}/message_templates?limit=100&after=QVFI` },
        },
      },
      {
        status: 200,
        body: {
          data: [
            metaTemplate('pago_recibido', 'Recibimos tu pago de {{1}}.'),
            metaTemplate('pago_recibido', 'We received {{1}}.', { language: 'en_US', status: 'PENDING' }),
          ],
          paging: { cursors: { after: 'QVFJ' } },
        },
      },
    );
    expect(await syncTemplates(database, meta())).toEqual({ origen: 'meta', recibidas: 3, nuevas: 3, actualizadas: 0, retiradas: 0 });
    expect(graph.received.map((r) => r.path)).toEqual([
      `/${GRAPH_API_VERSION}/${WABA}/message_templates?fields=name%2Clanguage%2Ccategory%2Cstatus%2Ccomponents&limit=100`,
      `/${GRAPH_API_VERSION}/${WABA}/message_templates?limit=100&after=QVFI`,
    ]);
    expect(graph.received.every((r) => r.authorization === 'Bearer meta-token')).toBe(true);
    expect((await stored(database)).map((t) => [t.nombre, t.idioma, t.estado])).toEqual([
      ['pago_recibido', 'en_US', 'PENDING'],
      ['pago_recibido', 'es', 'APPROVED'],
      ['recordatorio_pago', 'es', 'APPROVED'],
    ]);

    // Next sync: one changed, one gone, one new.
    graph.respond({
      status: 200,
      body: {
        data: [
          metaTemplate('recordatorio_pago', 'Hola {{1}}, tu cuota vence el {{2}}.', { status: 'PAUSED' }),
          metaTemplate('pago_recibido', 'We received {{1}}.', { language: 'en_US' }),
          metaTemplate('aviso_mora', 'Hola {{1}}, tienes {{2}} días de atraso.'),
        ],
      },
    });
    expect(await syncTemplates(database, meta())).toEqual({ origen: 'meta', recibidas: 3, nuevas: 1, actualizadas: 2, retiradas: 1 });
    const after = await stored(database);
    expect(after.map((t) => [t.nombre, t.idioma, t.estado])).toEqual([
      ['aviso_mora', 'es', 'APPROVED'],
      ['pago_recibido', 'en_US', 'APPROVED'],
      ['pago_recibido', 'es', 'DELETED'],
      ['recordatorio_pago', 'es', 'PAUSED'],
    ]);
    expect(after.find((t) => t.nombre === 'recordatorio_pago')?.componentes).toEqual([
      { type: 'BODY', text: 'Hola {{1}}, tu cuota vence el {{2}}.' },
    ]);

    // Meta unreachable (a broken connection is tried three times), or answering an error:
    // TEMPLATES_SYNC_FAILED saying which, and the registry left as it was.
    graph.respond('drop', 'drop', 'drop');
    await expect(syncTemplates(database, meta())).rejects.toThrow(
      /^Meta's template list could not be reached at http:\/\/127\.0\.0\.1:\d+: /,
    );
    expect(await stored(database)).toEqual(after);
    graph.respond(graphError(400, 100, 'Invalid parameter'));
    const error = await syncTemplates(database, meta()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CharlaError);
    expect(error).toMatchObject({ code: 'TEMPLATES_SYNC_FAILED', httpStatus: 502 });
    expect((error as Error).message).toContain('Meta refused the template list (HTTP 400: (#100) Invalid parameter)');
    expect(await stored(database)).toEqual(after);
  });

  it('charla templates sync: from Meta with the configured account, from the sandbox without a token; failures exit 1', async () => {
    const target = await fresh({ onDisk: true });
    expect((await charla(target.urlText, 'db', 'upgrade', 'head')).code).toBe(0);
    const saved = { ...process.env };
    try {
      expect((await charla(target.urlText, 'templates', 'sync')).stdout).toBe(
        'Templates synced from the sandbox (no WHATSAPP_ACCESS_TOKEN): 4 listed, 4 new, 0 updated, 0 no longer listed (marked DELETED).',
      );
      Object.assign(process.env, { WHATSAPP_ACCESS_TOKEN: 'meta-token', WHATSAPP_API_URL: graphUrl });
      const unset = await charla(target.urlText, 'templates', 'sync');
      expect(unset.code).toBe(1);
      expect(unset.stderr).toContain('FAILED (CONFIG_INVALID): WHATSAPP_BUSINESS_ACCOUNT_ID is not set');

      process.env.WHATSAPP_BUSINESS_ACCOUNT_ID = WABA;
      graph.respond({ status: 200, body: { data: [metaTemplate('recordatorio_pago', 'Hola {{1}}.')] } });
      const synced = await charla(target.urlText, 'templates', 'sync');
      expect(synced.stdout).toBe('Templates synced from Meta: 1 listed, 0 new, 1 updated, 3 no longer listed (marked DELETED).');

      graph.respond(graphError(401, 190, 'Error validating access token: Session has expired'));
      const refused = await charla(target.urlText, 'templates', 'sync');
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(
        'FAILED (TEMPLATES_SYNC_FAILED): Meta refused the template list (HTTP 401: (#190) Error validating access token',
      );
    } finally {
      for (const key of ['WHATSAPP_ACCESS_TOKEN', 'WHATSAPP_API_URL', 'WHATSAPP_BUSINESS_ACCOUNT_ID'])
        if (saved[key] === undefined) delete process.env[key];
        else process.env[key] = saved[key];
    }
  });
});
