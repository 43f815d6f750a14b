/**
 * Tries bad inputs at each entry point and checks that docs/bad-inputs.md shows what each
 * returned, identically on every database. After a deliberate change of behaviour, rewrite the
 * page with `CHARLA_WRITE_DOCS=1 npx vitest run test/bad-inputs-table.test.ts`.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { beforeAll, expect, it } from 'vitest';
import { createAgent } from '../src/auth/agents.repository.js';
import type { Database } from '../src/db/database.js';
import { sign } from '../src/webhook/signature.js';
import { bearer } from './helpers/auth.js';
import { charla } from './helpers/cli.js';
import { message, notification } from './helpers/payloads.js';
import { describeEachDatabase } from './helpers/test-database.js';
import { APP_SECRET, signedRequest, useMigratedApp, VERIFY_TOKEN, WEBHOOK } from './helpers/webhook.js';

const PAGE = path.resolve(import.meta.dirname, '../docs/bad-inputs.md');
const API = '/api/v1/conversaciones-whatsapp';
const ANA = '584121234567';

interface RequestContext {
  admin: Record<string, string>;
  agent: Record<string, string>;
  /** The only admin agent, and a session cookie of theirs. */
  adminAgentId: number;
  cookie: Record<string, string>;
}

interface Case {
  entry: string;
  input: string;
  /** An HTTP request (headers added for the signed-in kinds), or a CLI run. */
  request?: (context: RequestContext) => InjectOptions;
  cli?: string[];
  /** What else the row says beyond status and code (for the webhook: what was stored). */
  after?: (database: Database) => Promise<string>;
}

const signed = (payload: unknown): InjectOptions => signedRequest(payload);
const withBad = (bad: Record<string, unknown>, id: string) =>
  signed(
    notification([
      { ...message.text('buenas'), id: `wamid.table-good-${id}` },
      { ...message.text('x'), id: `wamid.table-bad-${id}`, ...bad },
    ]),
  );
/** What the delivery `id` left: the good message stored, the bad one stored (repaired) or quarantined. */
const outcome = (id: string) => async (database: Database) => {
  const rows = await database.kysely
    .selectFrom('conversaciones_whatsapp')
    .select('message_id')
    .where('message_id', 'in', [`wamid.table-good-${id}`, `wamid.table-bad-${id}`])
    .execute();
  const quarantined = await database.kysely
    .selectFrom('whatsapp_cuarentena')
    .select('motivo')
    .where('message_id', 'like', `wamid.table-bad-${id}%`)
    .execute();
  const good = rows.some((r) => r.message_id === `wamid.table-good-${id}`) ? 'good stored' : 'good NOT stored';
  const bad = rows.some((r) => r.message_id === `wamid.table-bad-${id}`)
    ? 'bad stored repaired'
    : quarantined.length > 0
      ? 'bad quarantined'
      : 'bad not stored';
  return `${good}; ${bad}`;
};

const CASES: Case[] = [
  {
    entry: 'webhook POST',
    input: 'NUL in a text body',
    request: () => withBad({ text: { body: 'a\u0000b' } }, 'nul-body'),
    after: outcome('nul-body'),
  },
  {
    entry: 'webhook POST',
    input: 'unpaired surrogate in a body',
    request: () => withBad({ text: { body: 'a\uD800b' } }, 'surrogate'),
    after: outcome('surrogate'),
  },
  {
    entry: 'webhook POST',
    input: 'NUL in a message id',
    request: () => withBad({ id: 'wamid.table-bad-nul-id\u0000' }, 'nul-id'),
    after: outcome('nul-id'),
  },
  {
    entry: 'webhook POST',
    input: 'id of 101 characters',
    request: () => withBad({ id: `wamid.table-bad-long-${'x'.repeat(80)}` }, 'long'),
    after: outcome('long'),
  },
  {
    entry: 'webhook POST',
    input: '20-digit timestamp',
    request: () => withBad({ timestamp: '99999999999999999999' }, 'ts20'),
    after: outcome('ts20'),
  },
  {
    entry: 'webhook POST',
    input: 'timestamp in year 10000',
    request: () => withBad({ timestamp: '253402300800' }, 'ts10k'),
    after: outcome('ts10k'),
  },
  {
    entry: 'webhook POST',
    input: 'body over 64 KB',
    request: () => withBad({ text: { body: 'é'.repeat(40_000) } }, 'big'),
    after: outcome('big'),
  },
  { entry: 'webhook POST', input: 'message without from', request: () => withBad({ from: undefined }, 'nofrom'), after: outcome('nofrom') },
  {
    entry: 'webhook POST',
    input: 'message that is a number',
    request: () => signed({ ...notification([]), entry: [{ changes: [{ value: { messages: [42] } }] }] }),
  },
  {
    entry: 'webhook POST',
    input: 'signature with junk after 64 hex digits',
    request: () => ({ ...signed({}), headers: { 'x-hub-signature-256': `${sign('{}', APP_SECRET)}00` } }),
  },
  {
    entry: 'webhook POST',
    input: 'malformed JSON',
    request: () => ({ ...signed({}), payload: '{"object":', headers: { 'x-hub-signature-256': sign('{"object":', APP_SECRET) } }),
  },
  { entry: 'webhook POST', input: 'body over 3 MB', request: () => signed(notification([message.text('x'.repeat(3 * 1024 * 1024))])) },
  {
    entry: 'webhook GET',
    input: 'hub.verify_token repeated',
    request: () => ({ url: `${WEBHOOK}?hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.verify_token=x&hub.challenge=1` }),
  },
  { entry: 'CRM API', input: 'message id 2³¹', request: ({ agent }) => ({ url: `${API}/2147483648`, headers: agent }) },
  {
    entry: 'CRM API',
    input: 'cursor of id 9,999,999,999',
    request: ({ agent }) => ({ url: `${API}?cursor=${Buffer.from('r9999999999').toString('base64url')}`, headers: agent }),
  },
  { entry: 'CRM API', input: '`page` repeated', request: ({ agent }) => ({ url: `${API}?page=1&page=2`, headers: agent }) },
  { entry: 'CRM API', input: '`numero` not a phone', request: ({ agent }) => ({ url: `${API}/numero/hola`, headers: agent }) },
  {
    entry: 'CRM API',
    input: 'enviar-mensaje with an unknown cliente_id',
    request: ({ agent }) => ({
      method: 'POST',
      url: `${API}/enviar-mensaje`,
      headers: agent,
      payload: { to_number: ANA, message: 'hola', cliente_id: 999999 },
    }),
  },
  {
    entry: 'CRM API',
    input: 'enviar-mensaje with NUL in the text',
    request: ({ agent }) => ({
      method: 'POST',
      url: `${API}/enviar-mensaje`,
      headers: agent,
      payload: { to_number: ANA, message: 'a\u0000' },
    }),
  },
  {
    entry: 'sign-in',
    input: 'NUL in the e-mail',
    request: () => ({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'a\u0000@b.co', password: 'x' } }),
  },
  {
    entry: 'agents',
    input: 'empty name',
    request: ({ admin }) => ({
      method: 'POST',
      url: '/api/v1/agentes',
      headers: admin,
      payload: { email: `e-${randomUUID()}@b.co`, nombre: '   ', password: 'a-long-password' },
    }),
  },
  {
    entry: 'agents',
    input: 'e-mail that exists already',
    request: ({ admin }) => ({
      method: 'POST',
      url: '/api/v1/agentes',
      headers: admin,
      payload: { email: 'taken@charla.test', nombre: 'Otra', password: 'a-long-password' },
    }),
  },
  {
    entry: 'agents',
    input: 'agent id 2³¹',
    request: ({ admin }) => ({ method: 'PATCH', url: '/api/v1/agentes/2147483648', headers: admin, payload: { nombre: 'x' } }),
  },
  {
    entry: 'agents',
    input: 'the last admin demoted',
    request: ({ admin, adminAgentId }) => ({
      method: 'PATCH',
      url: `/api/v1/agentes/${adminAgentId}`,
      headers: admin,
      payload: { rol: 'agente' },
    }),
  },
  {
    entry: 'cookie session',
    input: 'POST from another site (Origin)',
    request: ({ cookie }) => ({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: { ...cookie, origin: 'https://evil.example' },
      payload: { nombre: 'x' },
    }),
  },
  {
    entry: 'cookie session',
    input: 'POST with Sec-Fetch-Site: cross-site',
    request: ({ cookie }) => ({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: { ...cookie, 'sec-fetch-site': 'cross-site' },
      payload: { nombre: 'x' },
    }),
  },
  {
    entry: 'tokens',
    input: 'name with a NUL',
    request: ({ admin }) => ({ method: 'POST', url: '/api/v1/tokens', headers: admin, payload: { nombre: 'a\u0000' } }),
  },
  {
    entry: 'tokens',
    input: '`rol` in English (`agent`, not `agente`)',
    request: ({ admin }) => ({ method: 'POST', url: '/api/v1/tokens', headers: admin, payload: { nombre: 'x', rol: 'agent' } }),
  },
  { entry: 'quarantine', input: 'as an agent (not admin)', request: ({ agent }) => ({ url: '/api/v1/cuarentena', headers: agent }) },
  { entry: 'CLI', input: '`agents add` with a 300-character name', cli: ['agents', 'add', 'cli@b.co', '--name', 'n'.repeat(300)] },
  { entry: 'CLI', input: '`tokens create` with an empty name', cli: ['tokens', 'create', ' '] },
  { entry: 'CLI', input: '`tokens revoke` of a non-number', cli: ['tokens', 'revoke', 'abc'] },
];

function row(entry: string, input: string, result: string): string {
  return `| ${entry} | ${input} | ${result} |`;
}

async function render(app: FastifyInstance, database: Database, urlText: string, adminAgentId: number): Promise<string> {
  const admin = await bearer(database, 'admin');
  const agent = await bearer(database, 'agente');
  const login = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email: 'admin@charla.test', password: 'a-long-password' },
  });
  const cookie = { cookie: `charla_sesion=${login.json<{ token: string }>().token}` };
  const lines: string[] = [];
  for (const c of CASES) {
    if (c.cli) {
      const run = await charla(urlText, ...c.cli);
      const code = /FAILED \(([A-Z_]+)\)/.exec(run.stderr)?.[1] ?? (run.code === 2 ? 'usage error' : '');
      lines.push(row(c.entry, c.input, `exit ${run.code} ${code}`.trim()));
      continue;
    }
    const response = await app.inject(c.request!({ admin, agent, adminAgentId, cookie }));
    const code = response.statusCode >= 400 ? ` ${response.json<{ error?: { code?: string } }>().error?.code ?? ''}` : '';
    const after = c.after ? `; ${await c.after(database)}` : '';
    lines.push(row(c.entry, c.input, `${response.statusCode}${code}${after}`));
  }
  return [
    '# Bad inputs and what Charla answers',
    '',
    'Produced by `test/bad-inputs-table.test.ts`, which tries each input on PGlite, PostgreSQL and MariaDB and',
    'fails when an answer differs from this page (or between databases). A webhook delivery carries a good',
    'message beside the bad one; the last column says what became of each (docs/webhook-hardening.md).',
    '',
    '| entry point | bad input | answer |',
    '| --- | --- | --- |',
    ...lines,
    '',
  ].join('\n');
}

describeEachDatabase('bad inputs at every entry point', ({ fresh }) => {
  let adminAgentId = 0;
  const context = useMigratedApp(fresh, async (database) => {
    adminAgentId = await createAgent(database.kysely, database.support, {
      email: 'admin@charla.test',
      nombre: 'Admin',
      password: 'a-long-password',
      rol: 'admin',
    });
    await createAgent(database.kysely, database.support, {
      email: 'taken@charla.test',
      nombre: 'Ana',
      password: 'a-long-password',
      rol: 'agente',
    });
    // Ana wrote a minute ago: her 24-hour window is open.
    await database.kysely
      .insertInto('whatsapp_conversaciones')
      .values({ wa_number: ANA, ultimo_entrante_en: new Date(Date.now() - 60_000) })
      .execute();
  });
  /** The CLI runs against a database of its own (an embedded one can be open in one place at a time). */
  let cliUrl = '';
  beforeAll(async () => {
    cliUrl = (await fresh({ onDisk: true })).urlText;
    expect((await charla(cliUrl, 'db', 'upgrade', 'head')).code).toBe(0);
  });

  it('answers each as docs/bad-inputs.md says', async () => {
    const page = await render(context.app(), context.database(), cliUrl, adminAgentId);
    if (process.env.CHARLA_WRITE_DOCS === '1') writeFileSync(PAGE, page);
    expect(page).toBe(readFileSync(PAGE, 'utf8'));
  });
});
