/**
 * bench/inbox: the agent inbox's reads on bench/crm's database (BENCH_MESSAGES (5,000,000) messages
 * over BENCH_NUMBERS (100,000) numbers, the same generator and the same kept database). A fresh
 * database is seeded at revision 20261126_02 and then upgraded, so the run also times the inbox
 * revisions' backfill on the seeded rows; a kept one (BENCH_KEEP=1) is upgraded to head first.
 * Against `charla serve` over HTTP, one request at a time, p50/p99 of: the conversation list of 50
 * (first page, a deep cursor page, each filter), the filter summary, a thread's latest 50 and an
 * older page, and the message search when `/api/v1/buscar` exists. Targets: list < 15 ms, thread
 * < 10 ms, search < 100 ms (p99).
 *
 *   npm run bench:inbox   (BENCH_MESSAGES, BENCH_NUMBERS, BENCH_SAMPLES (500), BENCH_KEEP=1, BENCH_POSTGRES_URL)
 */
import os from 'node:os';
import pg from 'pg';
import { Pool } from 'undici';
import { createAgent } from '../src/auth/agents.repository.js';
import { parseDatabaseUrl } from '../src/config/database-url.js';
import { openDatabase } from '../src/db/database.js';
import { Migrator } from '../src/migrations/engine/migrator.js';
import { RevisionGraph } from '../src/migrations/engine/revision-graph.js';
import { revisions } from '../src/migrations/revisions/index.js';
import { benchDatabase, startCharla } from './lib/charla.js';
import { crmDatabaseName, number, seed } from './lib/crm-seed.js';
import { machine } from './lib/machine.js';
import { percentile, round } from './lib/stats.js';

const ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 5_000_000);
const NUMBERS = Number(process.env.BENCH_NUMBERS ?? 100_000);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 500);
const KEEP = process.env.BENCH_KEEP === '1';
/** The last revision before the inbox's (issue 11): seeded there, so the upgrade's backfill is timed. */
const BEFORE_INBOX = '20261126_02_nombres_agentes';
const INBOX_LIST = '20261127_05_lista_inbox';
const AGENT = { email: 'bench-inbox@example.com', nombre: 'Agente Bench', password: 'bench-inbox-clave-larga' };

interface Measured {
  p50_ms: number;
  p99_ms: number;
  max_ms: number;
  samples: number;
}

async function request(client: Pool, headers: Record<string, string>, path: string): Promise<unknown> {
  const response = await client.request({ path, method: 'GET', headers });
  const body = await response.body.json();
  if (response.statusCode !== 200) throw new Error(`${path}: ${response.statusCode} ${JSON.stringify(body)}`);
  return body;
}

async function measure(client: Pool, headers: Record<string, string>, path: () => string, samples: number, check: (body: unknown) => void) {
  for (let i = 0; i < Math.min(20, samples); i++) await request(client, headers, path());
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const p = path();
    const started = performance.now();
    const body = await request(client, headers, p);
    times.push(performance.now() - started);
    check(body);
  }
  times.sort((a, b) => a - b);
  return {
    p50_ms: round(percentile(times, 50), 2),
    p99_ms: round(percentile(times, 99), 2),
    max_ms: round(times.at(-1) ?? 0, 2),
    samples,
  } satisfies Measured;
}

async function main(): Promise<void> {
  const dbName = crmDatabaseName({ messages: MESSAGES, numbers: NUMBERS });
  const benchDb = await benchDatabase(ADMIN_URL, dbName, { reuse: KEEP });
  console.log(`machine: ${JSON.stringify(machine())}`);
  const database = await openDatabase(parseDatabaseUrl(benchDb.url));
  const migrator = new Migrator(new RevisionGraph(revisions), database);
  const client = new pg.Client({ connectionString: benchDb.url });
  await client.connect();
  if (benchDb.reused) console.log(`reusing ${dbName} (BENCH_KEEP=1)`);
  else {
    await migrator.upgrade(BEFORE_INBOX);
    console.log(`seeding ${MESSAGES} messages over ${NUMBERS} numbers…`);
    await seed(client, { messages: MESSAGES, numbers: NUMBERS });
  }
  // The upgrade to head, the inbox list's revision timed on its own (its backfill reads every conversation).
  const upgrade: Record<string, number> = {};
  const at = (await client.query<{ version_num: string }>('SELECT version_num FROM alembic_version')).rows.map((r) => r.version_num);
  let started = performance.now();
  const parent = revisions.find((r) => r.revision === INBOX_LIST)?.downRevision as string;
  // Already past it (a kept database upgraded before): nothing to time there.
  if (!at.includes(INBOX_LIST))
    await migrator.upgrade(parent).catch((e: { code?: string }) => {
      if (e.code !== 'MIGRATION_TARGET_INVALID') throw e;
    });
  upgrade.before_lista_inbox_ms = Math.round(performance.now() - started);
  started = performance.now();
  await migrator.upgrade('head');
  upgrade.lista_inbox_and_later_ms = Math.round(performance.now() - started);
  console.log(`upgraded from ${at.join(',')} to head: ${JSON.stringify(upgrade)}`);
  await client.query('ANALYZE whatsapp_conversaciones');

  // The inbox's state: an agent holding 1 % of the conversations, 1 % with a receipt pending, 1 % failed.
  const existing = await client.query<{ id: number }>('SELECT id FROM charla_agentes WHERE email = $1', [AGENT.email]);
  const agentId = existing.rows[0]?.id ?? (await createAgent(database.kysely, database.support, { ...AGENT, rol: 'agente' }));
  await client.query(`UPDATE whatsapp_conversaciones SET modo = 'agente', agente_id = $1 WHERE wa_number LIKE '%00'`, [agentId]);
  await client.query(`UPDATE whatsapp_conversaciones SET comprobante_pendiente = true WHERE wa_number LIKE '%07'`);
  await client.query(`UPDATE whatsapp_conversaciones SET envio_fallido = true WHERE wa_number LIKE '%13'`);
  await client.query('VACUUM ANALYZE whatsapp_conversaciones');

  const server = await startCharla('serve', { DATABASE_URL: benchDb.url });
  const http = new Pool(new URL(server.url).origin, { connections: 1, pipelining: 1 });
  const login = await http.request({
    path: '/api/v1/auth/login',
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: AGENT.email, password: AGENT.password }),
  });
  const { token } = (await login.body.json()) as { token: string };
  const headers = { authorization: `Bearer ${token}` };
  const random = (n: number): number => Math.floor(Math.random() * n);

  // Deep cursors: random conversations' positions, as the list encodes them (`ms.number`, base64url).
  const positions = await client.query<{ wa_number: string; ms: string }>(
    `SELECT wa_number, floor(extract(epoch FROM ultimo_entrante_en) * 1000)::bigint AS ms FROM whatsapp_conversaciones
     WHERE ultimo_entrante_en IS NOT NULL ORDER BY random() LIMIT ${SAMPLES + 20}`,
  );
  const listCursors = positions.rows.map((r) => Buffer.from(`${r.ms}.${r.wa_number}`).toString('base64url'));
  // Older pages: random messages' threads, from each message back (`m<id>`, base64url).
  const threadCursors = (
    await client.query<{ id: number; wa: string }>(
      `SELECT id, CASE WHEN direccion = 'INBOUND' THEN from_number ELSE to_number END AS wa FROM conversaciones_whatsapp
       WHERE id IN (SELECT 1 + floor(random() * ${MESSAGES})::int FROM generate_series(1, ${SAMPLES + 20}))`,
    )
  ).rows.map((r) => ({ wa: r.wa, cursor: Buffer.from(`m${r.id}`).toString('base64url') }));
  let c = 0;
  let t = 0;
  const list = '/api/v1/conversaciones';
  const fifty = (body: unknown): void => {
    const n = (body as { conversaciones?: unknown[]; mensajes?: unknown[] }).conversaciones ?? (body as { mensajes: unknown[] }).mensajes;
    if (n.length !== 50) throw new Error(`expected 50 entries, got ${n.length}`);
  };
  const some = (): void => {};
  const results: Record<string, Measured> = {
    list_50_first_page: await measure(http, headers, () => `${list}?limite=50`, SAMPLES, fifty),
    list_50_deep_cursor: await measure(
      http,
      headers,
      () => `${list}?limite=50&cursor=${listCursors[c++ % listCursors.length]}`,
      SAMPLES,
      some,
    ),
    list_50_sin_identificar: await measure(http, headers, () => `${list}?limite=50&filtro=sin_identificar`, SAMPLES, fifty),
    list_50_sin_identificar_deep: await measure(
      http,
      headers,
      () => `${list}?limite=50&filtro=sin_identificar&cursor=${listCursors[c++ % listCursors.length]}`,
      SAMPLES,
      some,
    ),
    list_50_mias: await measure(http, headers, () => `${list}?limite=50&filtro=mias`, SAMPLES, fifty),
    list_50_comprobante: await measure(http, headers, () => `${list}?limite=50&filtro=comprobante`, SAMPLES, fifty),
    list_50_ventana: await measure(http, headers, () => `${list}?limite=50&filtro=ventana`, SAMPLES, fifty),
    list_50_fallidos: await measure(http, headers, () => `${list}?limite=50&filtro=fallidos`, SAMPLES, fifty),
    list_summary: await measure(http, headers, () => `${list}/resumen`, Math.min(SAMPLES, 200), some),
    thread_latest_50: await measure(http, headers, () => `${list}/${number(random(NUMBERS))}/mensajes?limite=50`, SAMPLES, fifty),
    thread_older_page: await measure(
      http,
      headers,
      () => {
        const at = threadCursors[t++ % threadCursors.length] as { wa: string; cursor: string };
        return `${list}/${at.wa}/mensajes?limite=50&antes=${at.cursor}`;
      },
      SAMPLES,
      some,
    ),
  };
  const searchProbe = await http.request({ path: '/api/v1/buscar?q=mensaje%2012345', method: 'GET', headers });
  await searchProbe.body.dump();
  if (searchProbe.statusCode === 200) {
    results.search_message_text = await measure(
      http,
      headers,
      () => `/api/v1/buscar?q=mensaje%20${1 + random(MESSAGES)}`,
      Math.min(SAMPLES, 200),
      some,
    );
  } else console.log(`search not measured: /api/v1/buscar answered ${searchProbe.statusCode}`);
  await http.close();
  server.stop();
  await server.exited;
  await client.end();
  await database.close();
  if (!KEEP) await benchDb.drop();
  const targets = { list_ms: 15, thread_ms: 10, search_ms: 100 };
  const misses = Object.entries(results).filter(([name, r]) =>
    name.startsWith('list_50')
      ? r.p99_ms >= targets.list_ms
      : name.startsWith('thread')
        ? r.p99_ms >= targets.thread_ms
        : name.startsWith('search')
          ? r.p99_ms >= targets.search_ms
          : false,
  );
  console.log(
    JSON.stringify(
      { messages: MESSAGES, numbers: NUMBERS, load_average: os.loadavg().map((l) => round(l, 2)), upgrade, targets, results },
      null,
      2,
    ),
  );
  console.log(misses.length === 0 ? 'all targets met (p99)' : `targets missed (p99): ${misses.map(([n]) => n).join(', ')}`);
}

await main();
